"""genbench plugin: Progressive GAN (Karras, Aila, Laine and Lehtinen 2018)."""
