"""gRPC edge of the embedder: EncodeText, for query-side text (the Vibe zone)."""

from __future__ import annotations

from movierec.embedder.v1 import embedder_pb2 as pb
from movierec.embedder.v1 import embedder_pb2_grpc

from kit.errors import InvalidArgument
from services.embedder.config import EmbedderConfig
from services.embedder.pipeline import Pipeline
from services.embedder.text_batcher import TextBatcher


class EmbedderServicer(embedder_pb2_grpc.EmbedderServiceServicer):
    def __init__(self, pipeline: Pipeline, cfg: EmbedderConfig) -> None:
        self.pipeline, self.cfg = pipeline, cfg
        self.batcher = TextBatcher(pipeline.encode, cfg.max_texts)  # overlapping calls: one encode

    async def EncodeText(self, request: pb.EncodeTextRequest, context) -> pb.EncodeTextResponse:
        texts = list(request.texts)
        if not 1 <= len(texts) <= self.cfg.max_texts:
            raise InvalidArgument(f"send between 1 and {self.cfg.max_texts} texts")
        for i, t in enumerate(texts):
            if not t.strip():
                raise InvalidArgument(f"text {i} is empty")
            if len(t) > self.cfg.max_text_chars:
                raise InvalidArgument(f"text {i} is longer than {self.cfg.max_text_chars} characters")
        vectors = await self.batcher.encode(texts)
        enc = self.pipeline.encoder
        return pb.EncodeTextResponse(vectors=[pb.Vector(values=v.tolist()) for v in vectors],
                                     model=enc.name, dimensions=enc.dimensions)
