"""Render: `ccc calibrate` as a terminal table, each scored metric, the summary, the factors."""

from __future__ import annotations

from ccc.calibration.fit import SCORINGS, CalibrationReport
from ccc.render import columns

__all__ = ["render_calibration"]


def render_calibration(report: CalibrationReport) -> str:
    rows = [("row", "metric", "predicted", "measured", "error %", "factors")]
    for m in report.rows:
        if m.error is not None:
            rows.append((m.id, "FAILED", m.error, "", "", ""))
            continue
        rows.append(
            (
                m.id,
                m.metric or "",
                f"{m.predicted:.5g}",
                f"{m.measured:.5g}",
                f"{m.abs_pct_error:.1f}",
                m.factor_layer or "",
            )
        )
    lines = columns(rows)
    how = SCORINGS[report.scoring]
    if report.scoring == "given":
        how += f" ({report.factors_from})"
    lines += [
        "",
        f"{how}: median absolute error {_pct(report.median_abs_pct_error)}, "
        f"maximum {_pct(report.max_abs_pct_error)}, {_share(report.within_2x)} of the "
        f"metrics within 2x; {report.predicted_rows} rows predicted, "
        f"{report.failed_rows} failed",
        "",
        *_groups(report),
        "",
        "factor layers (fractions of peak, fixed overheads in microseconds; rows that fixed them):",
    ]
    layers = [
        (
            "layer",
            "compute",
            "bandwidth",
            "scale-up",
            "scale-out",
            "imbalance",
            "us/layer",
            "us/seq",
            "ms/req",
            "us/seq http",
            "us/hop",
            "us/hop out",
            "moe",
            "rows",
        )
    ]
    for key, layer in report.factors.layers.items():
        layers.append(
            (
                key,
                f"{layer.compute:.3f}",
                f"{layer.bandwidth:.3f}",
                f"{layer.network:.3f}",
                f"{layer.network_out:.3f}",
                f"{layer.imbalance:.3f}",
                f"{layer.layer_latency * 1e6:.1f}",
                f"{layer.sequence_overhead * 1e6:.1f}",
                f"{layer.request_latency * 1e3:.1f}",
                f"{layer.host_overhead * 1e6:.1f}",
                f"{layer.hop_latency * 1e6:.2f}",
                f"{layer.hop_latency_out * 1e6:.2f}",
                f"{layer.moe_efficiency:.3f}",
                str(len(layer.rows)),
            )
        )
    lines += columns(layers)
    for chip, peak in report.factors.inferred.items():
        parts = []
        if peak.compute is not None:
            parts.append(f"compute {peak.compute / 1e12:.0f} TFLOP/s")
        if peak.bandwidth is not None:
            parts.append(f"memory bandwidth {peak.bandwidth / 1e9:.0f} GB/s")
        lines.append(
            f"inferred for {chip} (unknown in the catalog), per die: {', '.join(parts)}"
            f" from {len(peak.rows)} rows"
        )
    return "\n".join(lines) + "\n"


def _groups(report: CalibrationReport) -> list[str]:
    table = [("group", "", "metrics", "median error", "within 2x")]
    for kind, groups in report.groups.items():
        for name, score in groups.items():
            table.append(
                (
                    kind,
                    name,
                    str(score.metrics),
                    _pct(score.median_abs_pct_error),
                    _share(score.within_2x),
                )
            )
    return columns(table) if len(table) > 1 else []


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f} %"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"
