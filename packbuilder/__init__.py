"""packbuilder: the internal anti-corruption document pack of a Kazakhstan quasi-state
organization, in Kazakh and Russian, generated from one organization profile."""

__version__ = "0.1.0"
