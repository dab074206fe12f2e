"""The resolvers of the root fields (operations/query.py, operations/mutation.py), one module per area they
serve: check the caller and the cheap arguments, call a backend client, shape the result as types/."""
