"""genbench plugin: class-conditional GAN (Mirza and Osindero 2014; projection
discriminator of Miyato and Koyama 2018)."""
