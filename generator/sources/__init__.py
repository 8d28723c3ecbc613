"""Finding the sources: the folder walk, the manifest, the project's settings, decoding."""
