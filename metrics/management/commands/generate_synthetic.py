"""Build (or rebuild) the deterministic synthetic dataset used by benchmarks and load tests."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from metrics import synthetic


class Command(BaseCommand):
    help = (
        "Create a believable synthetic dataset: at --scale 1, 10 financial years, 40 partners, "
        "400 programmes, 4,000 metrics and about 150,000 results. Synthetic rows have slugs "
        "starting 'syn-' and never replace real data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 for full size; 0.25, 0.5 and so on."
        )
        parser.add_argument("--seed", type=int, default=2018, help="Same seed, same rows.")
        parser.add_argument(
            "--clear", action="store_true", help="Delete earlier synthetic rows first."
        )
        parser.add_argument(
            "--clear-only", action="store_true", help="Delete synthetic rows and stop."
        )
        parser.add_argument(
            "--checksum", action="store_true", help="Print a checksum of the synthetic rows."
        )

    def handle(self, *args, scale, seed, clear, clear_only, checksum, **options):
        if clear_only:
            deleted = synthetic.clear()
            synthetic.refresh_statistics()
            self.stdout.write(f"Deleted {sum(deleted.values()):,} synthetic rows.")
            return
        if scale <= 0:
            raise CommandError("--scale must be a positive number, such as 0.25, 0.5 or 1.")
        with tqdm(unit=" rows", desc="synthetic", disable=options["verbosity"] < 1) as bar:

            def progress(stage: str, rows: int) -> None:
                bar.set_description(stage)
                bar.update(rows)

            try:
                summary = synthetic.generate(
                    scale=scale, seed=seed, clear_first=clear, progress=progress
                )
            except synthetic.SyntheticDataExists as exc:
                raise CommandError(str(exc)) from exc
        synthetic.refresh_statistics()
        if summary.cleared:
            self.stdout.write(f"Cleared {sum(summary.cleared.values()):,} earlier synthetic rows.")
        self.stdout.write(f"Scale {summary.scale:g}, seed {summary.seed}:")
        for label, n in summary.counts.items():
            self.stdout.write(f"  {label:<30} {n:>9,}")
        self.stdout.write("Seconds:")
        for stage, seconds in summary.seconds.items():
            self.stdout.write(f"  {stage:<30} {seconds:>9.2f}")
        self.stdout.write(f"  {'total':<30} {summary.total_seconds:>9.2f}")
        if checksum:
            self.stdout.write(f"Checksum: {synthetic.checksum()}")
