"""genbench plugin: CycleGAN, unpaired image-to-image translation with cycle-consistent
adversarial networks (Zhu, Park, Isola and Efros 2017)."""
