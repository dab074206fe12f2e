"""The root types, Query and Mutation: each field says what it takes and answers (its description is
the schema's documentation) and hands the work to one resolver (resolvers/)."""
