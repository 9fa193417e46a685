"""Callbacks dialled through the media plane: the bridge (third-party call control of the
agent and customer legs) and the originator routing hands callbacks to."""
