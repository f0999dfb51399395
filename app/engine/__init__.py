"""The answering engine: read a question, search, choose sentences, compose or abstain; check claims."""
