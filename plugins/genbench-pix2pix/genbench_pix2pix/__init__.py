"""genbench plugin: pix2pix, image-to-image translation with conditional adversarial
networks (Isola, Zhu, Zhou and Efros 2017)."""
