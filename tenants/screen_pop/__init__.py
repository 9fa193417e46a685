"""Screen pop: who is calling, what they asked before, what is still open."""
