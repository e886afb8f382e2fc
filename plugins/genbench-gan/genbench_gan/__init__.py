"""genbench plugin: the original GAN (Goodfellow et al. 2014), multilayer perceptrons."""
