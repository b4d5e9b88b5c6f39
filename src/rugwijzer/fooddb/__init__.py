"""Bundled food-composition data: the data file, importers and the search index."""
