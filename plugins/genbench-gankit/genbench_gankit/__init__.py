"""The shared machinery of genbench's GAN families. Import from the submodules."""
