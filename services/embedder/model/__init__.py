"""The sentence-embedding model of the embedder: ONNX export (`export`, needs torch, run once) and the
serving path (`encoder`, needs only onnxruntime + tokenizers + numpy)."""
