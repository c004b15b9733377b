"""The maintenance phase's own report (maintenance-latest.md in full mode, maintenance-quick.md in quick mode), so a run
of this phase alone leaves the filesystem and object-store figures (latest.*) as they are."""
import json
import os
import time

from report import machine, value_text


def _row(label, unit, berth, other, ratio, target):
    return f"| {label} | {unit} | {value_text(berth)} | {value_text(other)} | **{ratio:.2f}x** | {target} |"


def markdown(result, mode, command, load_at_start):
    store, profile, difference = result["store"], result["profile"], result["difference"]
    berth, registry = result["medians"]["berth"], result["medians"]["registry"]
    only_berth, only_registry = len(difference["only_berth_kept"]), len(difference["only_registry_kept"])
    same = ("the same blobs" if not only_berth and not only_registry
            else f"**different blobs**: {only_berth} kept by Berth alone, {only_registry} by docker-registry alone")
    lines = [
        f"# Maintenance: garbage collection, Berth vs docker-registry ({mode} mode)",
        "",
        f"Command: `{command}`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}  ",
        f"Machine: {machine(load_at_start)}  ",
        f"Store (`lib/storegen.py`): {store['repositories']:,} repositories, {store['blobs']:,} blobs "
        f"({store['bytes'] / 1048576:.0f} MiB), {store['manifests']:,} schema2 manifests on {50} shared base-layer stacks, "
        f"{store['untagged']:,} of them untagged, {store['orphans']:,} orphan blobs. Each collector ran `garbage-collect -m` "
        f"on its own `cp -a` copy, with the registry:2 image's config.yml naming it, {profile['gc_rounds']} round(s) "
        f"alternating who goes first (median). Both left {same} ({difference['kept_by_both']:,} kept by both).",
        "",
        "| measurement | unit | Berth | docker-registry | ratio (>1 = Berth better) | issue target |",
        "|---|---|---:|---:|---:|---|",
        _row("offline `garbage-collect -m`, wall time", "s", berth["gc_offline_s"], registry["gc_offline_s"],
             registry["gc_offline_s"] / berth["gc_offline_s"], "≥ 3x"),
        _row("offline `garbage-collect -m`, peak resident memory (ru_maxrss)", "MiB", berth["gc_offline_rss_peak"],
             registry["gc_offline_rss_peak"], registry["gc_offline_rss_peak"] / berth["gc_offline_rss_peak"], "reported"),
        "",
        f"Berth beside its request path: manifest GET by tag (`wrk -t2 -c50 -d{profile['seconds']}s`) on the collected "
        f"copy, {profile['get_rounds']} rounds alternating the two variants (median). Online collection every "
        f"{profile['gc_interval']} with grace 0 ran {', '.join(str(c) for c in result['gc_cycles'])} collection(s) during "
        "the runs; metrics on means the debug port's Prometheus metrics (nobody scraping).",
        "",
        "| measurement | unit | with | without | ratio (with / without) | issue target |",
        "|---|---|---:|---:|---:|---|",
        _row("manifest GET, online GC running", "req/s", berth["get_gc_on_rps"], berth["get_gc_off_rps"],
             berth["get_gc_on_rps"] / berth["get_gc_off_rps"], "≥ 0.90x"),
        _row("manifest GET, metrics on", "req/s", berth["get_metrics_on_rps"], berth["get_metrics_off_rps"],
             berth["get_metrics_on_rps"] / berth["get_metrics_off_rps"], "≥ 0.90x"),
        "",
    ]
    return "\n".join(lines)


def write(directory, mode, result, command, load_at_start):
    """Writes maintenance-<latest|quick>.{md,json}; returns the Markdown."""
    base = "maintenance-latest" if mode == "full" else "maintenance-quick"
    text = markdown(result, mode, command, load_at_start)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, base + ".md"), "w") as f:
        f.write(text)
    with open(os.path.join(directory, base + ".json"), "w") as f:
        json.dump(result, f, indent=1)
    return text
