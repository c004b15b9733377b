"""The report: one Markdown table (medians and ratios) and an SVG bar chart of the ratios."""
import math
import os
import platform
import time

# (metric, label, unit, better, target ratio from issue 4 or None)
ROWS = [
    ("manifest_tag_rps", "manifest GET by tag, 50 connections", "req/s", "higher", 10),
    ("manifest_tag_p99", "manifest GET by tag, p99 latency", "ms", "lower", None),
    ("manifest_digest_rps", "manifest GET by digest, 50 connections", "req/s", "higher", 10),
    ("manifest_digest_p99", "manifest GET by digest, p99 latency", "ms", "lower", None),
    ("blob_head_rps", "blob HEAD, 50 connections", "req/s", "higher", 10),
    ("secured_manifest_rps", "manifest GET, TLS + Basic auth each request", "req/s", "higher", 10),
    ("upload_mono_mibs", "upload, 4 parallel monolithic PUTs", "MiB/s", "higher", 2),
    ("upload_chunked_mibs", "upload, 4 parallel chunked PATCH uploads (16 MiB)", "MiB/s", "higher", 2),
    ("download_mibs", "download, 4 parallel GETs", "MiB/s", "higher", 1),
    ("skopeo_push_s", "skopeo push, image of 4 layers", "s", "lower", None),
    ("skopeo_pull_s", "skopeo pull, image of 4 layers", "s", "lower", None),
    ("push100_s", "100 concurrent pushes of small images", "s", "lower", 1),
    ("push100_errors", "100 concurrent pushes: errors", "", "none", None),
    ("catalog_ms", "`/v2/_catalog?n=100` page from the middle", "ms", "lower", 20),
    ("tags_ms", "tag list of all tags in one repository", "ms", "lower", 5),
    ("load_s", "loading the catalog repositories and tags (once)", "s", "lower", None),
    ("rss_idle_start", "resident memory, idle after start", "MiB", "lower", None),
    ("rss_idle_loaded", "resident memory, idle after loading the data", "MiB", "lower", None),
    ("rss_idle_end", "resident memory, idle after the runs", "MiB", "lower", None),
    ("rss_peak", "peak resident memory (VmHWM)", "MiB", "lower", 1),
    ("start_ms", "start to first answered `/v2/` (median)", "ms", "lower", None),
]

# The object-store phase (objectstore.py): both servers on one Ceph RGW with Redis. Targets from the issue for that
# phase; a text target is an absolute limit rather than a ratio.
S3_ROWS = [
    ("s3_upload_mono_mibs", "upload, 4 parallel monolithic PUTs", "MiB/s", "higher", 1.5),
    ("s3_download_mibs", "download, 4 parallel GETs (the 307 to RGW followed)", "MiB/s", "higher", 1.5),
    ("s3_download_streamed_mibs", "download, 4 parallel GETs streamed by the registry (`storage.redirect.disable`)",
     "MiB/s", "higher", None),
    ("s3_download_repeated_mibs", "download again, 4 parallel GETs: Berth from its node's `storage.cache.blobs`, "
     "docker-registry (no such cache) by the 307 again", "MiB/s", "higher", None),
    ("s3_push_pull_mibs", "push, then pull of the same blobs through one node, 4 parallel each: Berth with "
     "`storage.cache.blobs` (the pull from the copies made during the push), docker-registry by the 307",
     "MiB/s", "higher", 1.5),
    ("s3_manifest_tag_rps", "manifest GET by tag, 50 connections", "req/s", "higher", 10),
    ("s3_manifest_tag_p99", "manifest GET by tag, p99 latency", "ms", "lower", None),
    ("s3_catalog_ms", "`/v2/_catalog?n=100` page from the middle of {repos} repositories", "ms", "lower", 50),
    ("s3_load_s", "loading those repositories through the API (once)", "s", "lower", None),
    ("s3_rss_peak_upload", "peak RSS of a fresh process during 4 parallel uploads of {memory}", "MiB", "lower",
     "Berth ≤ 256 MiB"),
    ("s3_upload_large_mibs", "those 4 parallel uploads of {memory}", "MiB/s", "higher", None),
]
MISSING = "—"


def ratio(row, berth, registry):
    """> 1 means Berth is better: rates are berth/registry, times and sizes registry/berth."""
    _, _, _, better, _ = row
    if better == "higher":
        return berth / registry if registry else math.inf
    if better == "lower":
        return registry / berth if berth else math.inf
    return None


def machine(load_at_start):
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown CPU")
    with open("/proc/meminfo") as f:
        mem_kib = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model}), {mem_kib / 1048576:.0f} GiB RAM, Linux {platform.release()}, "
            f"load average (1 min) {load_at_start:.1f} at the start, {load[0]:.1f} at the end")


def value_text(value):
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def label_text(row, profile, s3_profile):
    """A row's label with the run's sizes filled in."""
    size = f"{profile['big_mib']} MiB each"
    label = row[1].replace("PUTs", f"PUTs of {size}").replace("GETs", f"GETs of {size}")
    label = label.replace("4 layers", f"4 x {profile['layer_mib']} MiB layers")
    if s3_profile:
        label = label.format(repos=f"{s3_profile['repos']:,}", memory=f"{s3_profile['memory_mib']} MiB each")
    return label


def table_line(row, label, b, r):
    metric, _, unit, _, target = row
    if metric == "push100_errors":
        return f"| {label} | count | {b:.0f} | {r:.0f} | | none |"
    goal = target if isinstance(target, str) else (f"≥ {target}x" if target else "")
    if b is None or r is None:
        # One server did not run this phase (a Berth build without S3): its cell stays empty, the other is kept.
        cells = [value_text(v) if v is not None else MISSING for v in (b, r)]
        return f"| {label} | {unit} | {cells[0]} | {cells[1]} | | {goal} |"
    return f"| {label} | {unit} | {value_text(b)} | {value_text(r)} | **{ratio(row, b, r):.2f}x** | {goal} |"


def table(medians, profile, s3_profile=None):
    lines = ["| measurement | unit | Berth | docker-registry | ratio (>1 = Berth better) | issue target |",
             "|---|---|---:|---:|---:|---|"]
    for row in ROWS:
        b, r = medians["berth"].get(row[0]), medians["registry"].get(row[0])
        if b is not None and r is not None:
            lines.append(table_line(row, label_text(row, profile, s3_profile), b, r))
    if s3_profile:
        lines.append("| **on S3 (Ceph RGW) + Redis** | | | | | |")
        for row in S3_ROWS:
            b, r = medians["berth"].get(row[0]), medians["registry"].get(row[0])
            if b is not None or r is not None:
                lines.append(table_line(row, label_text(row, profile, s3_profile), b, r))
    return "\n".join(lines)


def svg(medians, profile, s3_profile=None):
    """Horizontal bars of the ratios on a log scale (0.1x to 100x), a line at 1x, a tick at each ratio target."""
    rows = [row for row in ROWS + S3_ROWS if ratio(row, 1, 1) is not None
            and row[0] in medians["berth"] and row[0] in medians["registry"]]
    left, width, bar, gap, top = 480, 440, 16, 8, 40
    height = top + len(rows) * (bar + gap) + 40
    scale = lambda q: left + (math.log10(min(max(q, 0.1), 100)) + 1) / 3 * width
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 70}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="10" y="22" font-size="14" font-weight="bold">Berth vs docker-registry 2.8.2: '
             f'ratio, &gt;1 = Berth better (log scale; | = issue target)</text>']
    for tick in (0.1, 0.5, 1, 2, 5, 10, 20, 50, 100):
        x = scale(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 30}" '
                     f'stroke="{"#333" if tick == 1 else "#ddd"}"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{tick:g}x</text>')
    for i, row in enumerate(rows):
        metric, _, _, _, target = row
        label = ("S3: " if row in S3_ROWS else "") + label_text(row, profile, s3_profile)
        target = target if isinstance(target, (int, float)) else None  # an absolute limit has no place on this axis
        q = ratio(row, medians["berth"][metric], medians["registry"][metric])
        y = top + i * (bar + gap)
        x1, x0 = scale(q), scale(1)
        colour = "#2a9d8f" if q >= (target or 1) else ("#e9c46a" if q >= 1 else "#e76f51")
        parts.append(f'<text x="{left - 8}" y="{y + bar - 4}" text-anchor="end">{label.replace("`", "")}</text>')
        parts.append(f'<rect x="{min(x0, x1):.1f}" y="{y}" width="{abs(x1 - x0):.1f}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{max(x0, x1) + 4:.1f}" y="{y + bar - 4}">{q:.2f}x</text>')
        if target:
            tx = scale(target)
            parts.append(f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + bar + 2}" stroke="black" '
                         f'stroke-width="2"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def s3_text(s3_profile, failures):
    """What the object-store rows are, for the report's preamble."""
    if not s3_profile:
        return ""
    text = (f"On S3: both servers on one Ceph RADOS Gateway (`scripts/ceph-rgw.sh`: one mon, one memstore OSD) and one "
            f"Redis, a bucket and a Redis database each, configured for several nodes (docker-registry: s3 driver, "
            f"`cache.blobdescriptor: redis`, `redis.addr`; Berth: s3 and `redis.addr`); {s3_profile['rounds']} round(s) "
            f"alternating, `wrk -d{s3_profile['seconds']}s`, catalog median of up to {s3_profile['samples']} requests (no new one "
            f"after {s3_profile['catalog_budget_s']} s: docker-registry lists each repository's S3 folder for every page, so it may get only one). Blob "
            "GETs are answered 307 with a presigned RGW URL by both, and followed: the download is end to end as a "
            "user sees it, mostly RGW's speed. The streamed row asks a second node of each with "
            "`storage.redirect.disable`, which carries the bytes itself. The row 'download again' pulls the same blobs "
            "a second time: from a third Berth node with `storage.cache.blobs` (after waiting for its copies of the "
            "first pull), and from docker-registry's first node, which has no such cache and redirects again. The row "
            "'push, then pull' sends new blobs to those same nodes and pulls them back at once: bytes both ways over "
            "the whole time, which for Berth includes waiting until the copies made during the push are checked. "
            "The peak RSS is a fresh process's VmHWM during 4 parallel monolithic uploads on a bucket of its own.")
    for name, why in (failures or {}).items():
        text += f" **{name} did not start on S3** (its cells are {MISSING}): `{why.strip().splitlines()[-1][:200]}`"
    return text


def write(directory, base, medians, mode, profile, command, load_at_start, s3_profile=None, s3_failures=None):
    """Writes <base>.md and <base>.svg into directory; returns the Markdown."""
    markdown = "\n".join([
        f"# Berth vs docker-registry ({mode} mode)",
        "",
        f"Command: `{command}`  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}  ",
        f"Machine: {machine(load_at_start)}  ",
        f"Rounds: {profile['rounds']} per server, alternating; each figure is the median over rounds. "
        f"Request rates by `wrk -t2 -c50 -d{profile['seconds']}s`. Catalog of {profile['repos']:,} repositories, "
        f"tag list of {profile['tags']:,} tags (median of {profile['samples']} requests), loaded by 8 clients: per "
        "repository 2 cross-repository mounts and a manifest PUT, then one manifest PUT per tag. Client and servers share "
        "the same cores, so absolute numbers are noisy: read the ratios.",
        "",
        s3_text(s3_profile, s3_failures),
        "",
        table(medians, profile, s3_profile),
        "",
        f"![ratios]({base}.svg)",
        "",
    ])
    with open(os.path.join(directory, base + ".md"), "w") as f:
        f.write(markdown)
    with open(os.path.join(directory, base + ".svg"), "w") as f:
        f.write(svg(medians, profile, s3_profile))
    return markdown
