"""genbench plugin: GauGAN, semantic image synthesis with spatially-adaptive normalization
(Park, Liu, Wang and Zhu 2019)."""
