"""genbench plugin: DCGAN (Radford, Metz and Chintala 2016)."""
