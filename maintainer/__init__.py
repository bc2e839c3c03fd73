"""Maintainer tooling of the book: compile and refresh the data, build and check the site.

Nothing here is imported by the chapters, and Binder does not install what it needs."""
