"""The rules of the process, over the crud layer: the strike rule (``strikes``) and the listing
gate (``gate``). The rule tables themselves are pure functions, so they are tested exhaustively."""
