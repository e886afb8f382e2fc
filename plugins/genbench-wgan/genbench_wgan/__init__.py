"""genbench plugin: WGAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al. 2017)."""
