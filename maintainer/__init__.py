"""Maintainer tools: steps that build resources of ``data/`` from official files (not used by readers)."""
