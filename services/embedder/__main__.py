"""Embedder entry point.

    python -m services.embedder export [--force]     ONNX export + int8 variant + parity check (torch, once)
    python -m services.embedder serve                consumer of catalogue events + EncodeText gRPC
    python -m services.embedder backfill [--if-missing] [--min-votes N [--low-vote-sample N] [--also-ids 1,2]]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from movierec.embedder.v1 import embedder_pb2, embedder_pb2_grpc

from kit import bus, db
from kit.config import DEFAULT_PORTS, Settings, load_settings
from kit.grpc_server import ServiceHost
from kit.logging import configure_logging
from kit.outbox import OutboxRelay
from services.embedder import neighbours, store
from services.embedder.backfill import backfill, catalogue_size
from services.embedder.config import EmbedderConfig
from services.embedder.consumer import CatalogConsumer
from services.embedder.pipeline import Pipeline

SERVICE_NAME = embedder_pb2.DESCRIPTOR.services_by_name["EmbedderService"].full_name


def load_encoder(cfg: EmbedderConfig, threads: int | None = None, spinning: bool = True):
    from services.embedder.model.encoder import Encoder, choose_precision, read_manifest

    manifest = read_manifest(cfg.model_dir)
    if manifest is None:
        raise SystemExit(f"no exported model in {cfg.model_dir}: run `python -m services.embedder export` "
                         "(make up does)")
    precision = choose_precision(manifest) if cfg.precision == "auto" else cfg.precision
    return Encoder(cfg.model_dir, precision=precision, max_length=cfg.max_length, threads=threads, spinning=spinning)


def backfill_lanes(cfg: EmbedderConfig) -> tuple[int, int | None]:
    """(lanes, threads per lane's encoder) for the backfill: on the CPU provider one single-threaded lane per
    usable core (measured on 2 shared cores: 92-98 texts per CPU-second against 63-77 for one encode on both),
    on a GPU one lane with the default threads."""
    from kit.config import usable_cores
    from services.embedder.model.encoder import default_providers

    if cfg.backfill_lanes == 0 and default_providers()[0] != "CPUExecutionProvider":
        return 1, None
    lanes = cfg.backfill_lanes or usable_cores()
    return lanes, max(1, usable_cores() // lanes)


async def serve(settings: Settings, cfg: EmbedderConfig) -> None:
    encoder = load_encoder(cfg, spinning=cfg.spin_threads)
    pool = await db.create_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
    pipeline = Pipeline(encoder, pool, cfg.encode_batch_size)
    host = ServiceHost("embedder", settings.host, settings.port or DEFAULT_PORTS["embedder"],
                       settings.metrics_port, settings.shutdown_grace_s, settings.shutdown_drain_delay_s)
    from services.embedder.servicer import EmbedderServicer

    host.add_servicer(embedder_pb2_grpc.add_EmbedderServiceServicer_to_server, EmbedderServicer(pipeline, cfg),
                      SERVICE_NAME)
    events = bus.BackgroundBus(settings.nats_url, "embedder")
    host.add_background(lambda: events.run(
        lambda js: CatalogConsumer(js, pipeline, cfg).run(),
        lambda js: OutboxRelay(pool, js, store.SCHEMA).run(),
    ))
    host.add_cleanup(events.close)
    host.add_cleanup(pool.close)
    await host.run()


async def run_backfill(settings: Settings, cfg: EmbedderConfig, if_missing: bool, min_votes: int | None,
                       sample_every: int = 0, also: list[int] | None = None) -> int:
    pool = await db.create_pool(settings.database_url, 1, 4)
    try:
        lanes, threads = backfill_lanes(cfg)
        encoder = load_encoder(cfg, threads)
        if if_missing and not (sample_every or also):   # a sample is checked film by film (unchanged: skipped)
            # Vectors of another model or precision count as missing: they are never mixed.
            have = await store.count(pool, model=encoder.name)
            total = await catalogue_size(settings.catalog_addr, min_votes)
            if have >= total:
                async with pool.acquire() as conn:
                    await store.create_vector_indexes(conn)   # in case a killed backfill left them missing
                    if await neighbours.missing(conn):        # a store from before the lists, or a killed backfill
                        async with conn.transaction():
                            await neighbours.rebuild(conn)
                print(f"all {total} films have vectors of {encoder.name}; skipping backfill")
                return 0
        pipeline = Pipeline(encoder, pool, cfg.encode_batch_size, lanes=lanes, keep_neighbours=False)  # at the end
        async with store.bulk_load(pool):   # into an empty table: HNSW indexes built once, at the end
            result = await backfill(pipeline, settings.catalog_addr, min_votes=min_votes, sample_every=sample_every,
                                    sample_also=also)
        async with pool.acquire() as conn, conn.transaction():
            t0 = time.perf_counter()
            result["neighbour_lists"] = await neighbours.rebuild(conn)
            result["neighbour_seconds"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(result))
        return 0
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.embedder")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("serve")
    p_exp = sub.add_parser("export", help="export the model to ONNX (fp32 + int8) and check it against PyTorch")
    p_exp.add_argument("--force", action="store_true")
    p_bf = sub.add_parser("backfill", help="encode every catalogue film that lacks current vectors")
    p_bf.add_argument("--if-missing", action="store_true", help="do nothing when every film has vectors")
    p_bf.add_argument("--min-votes", type=int, default=None, help="only films with at least this many votes")
    p_bf.add_argument("--low-vote-sample", type=int, default=0, metavar="N",
                      help="with --min-votes: also the films under it whose id is a multiple of N")
    p_bf.add_argument("--also-ids", default="", help="with --min-votes: also these films (comma-separated ids)")
    args = parser.parse_args(argv)
    settings, cfg = load_settings(), EmbedderConfig()
    configure_logging("embedder", settings.log_level, settings.log_json)
    if args.cmd == "export":
        from services.embedder.model.export import ensure_model

        ensure_model(cfg.model_dir, force=args.force, max_length=cfg.max_length)
        return 0
    if args.cmd == "serve":
        asyncio.run(serve(settings, cfg))
        return 0
    also = [int(x) for x in args.also_ids.split(",") if x.strip()]
    return asyncio.run(run_backfill(settings, cfg, args.if_missing, args.min_votes, args.low_vote_sample, also))


if __name__ == "__main__":
    sys.exit(main())
