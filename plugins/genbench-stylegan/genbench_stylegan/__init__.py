"""genbench plugin: StyleGAN (Karras, Laine and Aila 2019)."""
