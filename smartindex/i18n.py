"""Every user-facing string and number format of the app and the report, Bahasa Indonesia first.

>>> t("page.overview", "en")
'Overview'
>>> format_number(1234.5, "id"), format_number(1234.5, "en")
('1.234,5', '1,234.5')

``STRINGS`` maps a key to ``(Bahasa Indonesia, English)``; ``t`` fills ``{placeholders}``.
``ID_FMT`` / ``ID_TIME`` are d3 number / time locales for Altair (Vega's ``config.locale``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

LANGS = ("id", "en")
DEFAULT_LANG = "id"
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
MISSING = "–"

STRINGS: dict[str, tuple[str, str]] = {
    # frame
    "app.title": ("Indeks Kota Cerdas", "Smart City Index"),
    "app.subtitle": ("Kartu skor kota cerdas menurut enam dimensi Griffinger",
                     "Smart-city scorecards along Griffinger's six dimensions"),
    "sidebar.lang": ("Bahasa", "Language"),
    "sidebar.year": ("Tahun", "Year"),
    "sidebar.city": ("Kota", "City"),
    "sidebar.kecamatan": ("Kecamatan", "District"),
    "sidebar.all_kecamatan": ("Semua kecamatan", "All districts"),
    "sidebar.run": ("Run skor {run}", "Scoring run {run}"),
    "page.overview": ("Ringkasan", "Overview"),
    "page.dimension": ("Dimensi", "Dimension"),
    "page.districts": ("Kecamatan", "Districts"),
    "page.peers": ("Pembanding", "Peers"),
    "page.trends": ("Tren", "Trends"),
    "page.recommendations": ("Rekomendasi", "Recommendations"),
    "page.method": ("Metode", "Method"),
    "page.quality": ("Kualitas data", "Data quality"),
    "page.downloads": ("Unduh", "Downloads"),
    # warehouse state
    "warehouse.missing": (
        "Gudang data belum tersedia ({reason}). Bangun dengan `smartindex demo`, atau "
        "`smartindex etl && smartindex score`, lalu muat ulang halaman ini.",
        "The warehouse is not available ({reason}). Build it with `smartindex demo`, or "
        "`smartindex etl && smartindex score`, then reload this page."),
    "warehouse.no_data": ("Belum ada data untuk pilihan ini.", "No data for this selection yet."),
    # levels, dimensions, common columns
    "level.indicator": ("Indikator", "Indicator"),
    "level.factor": ("Faktor", "Factor"),
    "level.dimension": ("Dimensi", "Dimension"),
    "level.index": ("Indeks", "Index"),
    "dim.economy": ("Ekonomi cerdas", "Smart economy"),
    "dim.people": ("Masyarakat cerdas", "Smart people"),
    "dim.governance": ("Tata kelola cerdas", "Smart governance"),
    "dim.mobility": ("Mobilitas cerdas", "Smart mobility"),
    "dim.environment": ("Lingkungan cerdas", "Smart environment"),
    "dim.living": ("Kehidupan cerdas", "Smart living"),
    "col.code": ("Kode", "Code"),
    "col.name": ("Nama", "Name"),
    "col.unit": ("Wilayah", "Area"),
    "col.measure_unit": ("Satuan", "Unit"),
    "col.value": ("Nilai", "Value"),
    "col.target": ("Target", "Target"),
    "col.achievement": ("Capaian (%)", "Achievement (%)"),
    "col.status": ("Status", "Status"),
    "col.trend": ("Tren", "Trend"),
    "col.source": ("Sumber", "Source"),
    "col.year": ("Tahun", "Year"),
    "col.score": ("Skor", "Score"),
    "col.rank": ("Peringkat", "Rank"),
    "col.coverage": ("Cakupan data", "Data coverage"),
    "col.dimension": ("Dimensi", "Dimension"),
    "col.factor": ("Faktor", "Factor"),
    "col.agency": ("Perangkat daerah", "Agency"),
    "col.priority": ("Prioritas", "Priority"),
    "col.evidence": ("Bukti", "Evidence"),
    "col.city": ("Kota", "City"),
    "col.series": ("Seri", "Series"),
    "col.measure": ("Ukuran", "Measure"),
    "col.q05": ("Batas bawah 5%", "Lower 5%"),
    "col.q95": ("Batas atas 95%", "Upper 95%"),
    "col.median_rank": ("Median peringkat", "Median rank"),
    "col.peer_median": ("Median pembanding", "Peer median"),
    "col.best_peer": ("Pembanding terbaik", "Best peer"),
    "col.verdict": ("Arah tren", "Trend verdict"),
    "col.slope": ("Kemiringan per tahun", "Slope per year"),
    "col.p_value": ("Nilai p (Mann–Kendall)", "p-value (Mann–Kendall)"),
    # trend words (smartindex.trends verdicts)
    "verdict.improving": ("Membaik", "Improving"),
    "verdict.stable": ("Stabil", "Stable"),
    "verdict.worsening": ("Memburuk", "Worsening"),
    "verdict.insufficient data": ("Data belum cukup", "Insufficient data"),
    "trend.significant": ("signifikan", "significant"),
    "trend.not_significant": ("tidak signifikan", "not significant"),
    "status.none": ("Tanpa target", "No target"),
    # overview
    "overview.index": ("Indeks kota cerdas", "Smart city index"),
    "overview.rank": ("Peringkat {rank} dari {n}", "Rank {rank} of {n}"),
    "overview.coverage": ("Cakupan {coverage}", "Coverage {coverage}"),
    "overview.strengths": ("Kekuatan utama", "Top strengths"),
    "overview.risks": ("Risiko utama", "Top risks"),
    "overview.top_recs": ("Tiga rekomendasi prioritas", "Three priority recommendations"),
    "overview.dimensions": ("Enam dimensi", "The six dimensions"),
    # dimension drill-down
    "dimension.pick": ("Pilih dimensi", "Choose a dimension"),
    "dimension.indicator": ("Riwayat indikator", "Indicator history"),
    "dimension.factors": ("Faktor", "Factors"),
    "dimension.indicators": ("Indikator", "Indicators"),
    # districts
    "districts.measure": ("Tampilkan", "Show"),
    "districts.index": ("Indeks kecamatan", "District index"),
    "districts.map": ("Peta kecamatan (titik pusat)", "District map (centroids)"),
    "districts.ranked": ("Peringkat kecamatan", "District ranking"),
    "districts.inequality": ("Ketimpangan antarkecamatan", "Inequality between districts"),
    "districts.access": ("Akses Wi-Fi publik dan halte", "Access to public Wi-Fi and stops"),
    "districts.radius": ("Radius (m)", "Radius (m)"),
    "districts.wifi_hotspots": ("Penduduk dalam jangkauan Wi-Fi publik (%)",
                                "Population within reach of public Wi-Fi (%)"),
    "districts.transit_stops": ("Penduduk dalam jangkauan halte (%)",
                                "Population within reach of a transport stop (%)"),
    # peers, trends
    "peers.level": ("Tingkat", "Level"),
    "peers.title": ("Palembang dibandingkan kota pembanding", "Palembang against its peer cities"),
    "trends.level": ("Tingkat", "Level"),
    "trends.element": ("Unsur", "Element"),
    "trends.target": ("Target", "Target"),
    "trends.stats": ("Statistik tren", "Trend statistics"),
    # recommendations
    "recs.filter_dimension": ("Saring dimensi", "Filter by dimension"),
    "recs.filter_agency": ("Saring perangkat daerah", "Filter by agency"),
    "recs.export": ("Ekspor rekomendasi (CSV)", "Export recommendations (CSV)"),
    "recs.none": ("Tidak ada rekomendasi untuk pilihan ini.",
                  "No recommendations for this selection."),
    # method
    "method.intro": (
        "Indeks dihitung dari indikator yang dinormalisasi, diberi bobot dan diagregasi naik "
        "melalui faktor dan dimensi. Ubah pilihan di bawah untuk melihat skor dan peringkat "
        "bergerak; data tidak disimpan.",
        "The index is computed from indicators that are normalised, weighted and aggregated up "
        "through factors and dimensions. Change the choices below to see scores and ranks move; "
        "nothing is saved."),
    "method.normalise": ("Normalisasi", "Normalisation"),
    "method.aggregate": ("Agregasi", "Aggregation"),
    "method.weights": ("Bobot dimensi", "Dimension weights"),
    "method.current": ("Spesifikasi metode saat ini", "Current method specification"),
    "method.whatif": ("Skor dengan pilihan Anda", "Scores with your choices"),
    "method.uncertainty": ("Interval peringkat (Monte Carlo, 5–95%)",
                           "Rank intervals (Monte Carlo, 5–95%)"),
    "method.sensitivity": ("Sensitivitas terhadap asumsi", "Sensitivity to assumptions"),
    "method.catalogue": ("Katalog indikator", "Indicator catalogue"),
    "method.rank_change": ("Perubahan peringkat", "Rank change"),
    # data quality
    "quality.manifest": ("Catatan pemuatan data", "Load manifest"),
    "quality.quarantine": ("Alasan karantina dan contoh baris",
                           "Quarantine reasons and sample rows"),
    "quality.coverage": ("Cakupan data per indikator", "Coverage per indicator"),
    "quality.rows_read": ("Baris dibaca", "Rows read"),
    "quality.rows_loaded": ("Baris dimuat", "Rows loaded"),
    "quality.rows_quarantined": ("Baris dikarantina", "Rows quarantined"),
    "quality.survey": (
        "Rincian survei dengan kurang dari 10 responden per sel disembunyikan di hulu "
        "(saat ETL dan pengukuran).",
        "Survey breakdowns with fewer than 10 respondents in a cell are suppressed upstream "
        "(at ETL and measurement)."),
    # downloads
    "downloads.scores": ("Skor", "Scores"),
    "downloads.values": ("Nilai indikator", "Indicator values"),
    "downloads.recs": ("Rekomendasi", "Recommendations"),
    "downloads.pdf": ("Laporan tahunan (PDF)", "Annual report (PDF)"),
    "downloads.no_pdf": ("Laporan PDF belum dibuat. Buat dengan `smartindex report --year {year}`.",
                         "The PDF report has not been built yet. Build it with "
                         "`smartindex report --year {year}`."),
    "downloads.note": ("Sel teks yang diawali =, +, -, @ dinetralkan terhadap injeksi rumus.",
                       "Text cells beginning with =, +, -, @ are neutralised against formula "
                       "injection."),
    # charts
    "chart.target": ("Target", "Target"),
    "chart.home": ("Kota ini", "This city"),
    "chart.peer": ("Kota pembanding", "Peer city"),
    "chart.nominal_rank": ("Peringkat nominal", "Nominal rank"),
    "chart.interval": ("Interval 5–95%", "5–95% interval"),
    "chart.first_order": ("Orde pertama", "First order"),
    "chart.total": ("Total", "Total"),
}

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
SHORT_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
DAYS = {
    "id": ("Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"),
    "en": ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
}

ID_FMT: dict = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
EN_FMT: dict = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}


def _time_locale(lang: str, date: str) -> dict:
    return {"dateTime": "%A, %e %B %Y %X", "date": date, "time": "%H:%M:%S",
            "periods": ["AM", "PM"], "days": list(DAYS[lang]),
            "shortDays": [d[:3] for d in DAYS[lang]], "months": list(MONTHS[lang]),
            "shortMonths": list(SHORT_MONTHS[lang])}


ID_TIME: dict = _time_locale("id", "%d/%m/%Y")
EN_TIME: dict = _time_locale("en", "%m/%d/%Y")
D3_LOCALES: dict[str, tuple[dict, dict]] = {"id": (ID_FMT, ID_TIME), "en": (EN_FMT, EN_TIME)}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else the default (Bahasa Indonesia)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled; unknown keys echo the key."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[LANGS.index(check_lang(lang))]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """True when ``key`` is a known string."""
    return key in STRINGS


def _missing(x: object) -> bool:
    try:
        return x is None or math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def format_number(x: object, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``1.234,5`` (id) or ``1,234.5`` (en); missing values render as an en dash."""
    if _missing(x):
        return MISSING
    text = f"{float(x):,.{decimals}f}"  # type: ignore[arg-type]
    if check_lang(lang) == "id":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_percent(x: object, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A percentage given in percent units (``12.5`` → ``12,5%`` / ``12.5%``)."""
    return MISSING if _missing(x) else format_number(x, lang, decimals) + "%"


def format_signed(x: object, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A change with an explicit sign (``+1,5`` / ``−0,3``)."""
    if _missing(x):
        return MISSING
    sign = "+" if float(x) > 0 else ("−" if float(x) < 0 else "±")  # type: ignore[arg-type]
    return sign + format_number(abs(float(x)), lang, decimals)  # type: ignore[arg-type]


def month_name(month: int, lang: str = DEFAULT_LANG, *, short: bool = False) -> str:
    """Month name for 1..12 in ``lang``."""
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    table = SHORT_MONTHS if short else MONTHS
    return table[check_lang(lang)][int(month) - 1]


def d3_locale(lang: str = DEFAULT_LANG) -> tuple[dict, dict]:
    """d3 ``(number, time)`` locale dicts for ``lang`` (vl-convert's format/time locales)."""
    return D3_LOCALES[check_lang(lang)]


def vega_locale(lang: str = DEFAULT_LANG) -> dict:
    """Vega ``config.locale`` for ``lang``: ``{"number": ..., "time": ...}``."""
    number, time = d3_locale(lang)
    return {"number": number, "time": time}


def dimension_name(key: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a dimension key (``economy`` → ``Ekonomi cerdas``)."""
    return t(f"dim.{key}", lang) if has(f"dim.{key}") else key.replace("_", " ").capitalize()


def dimension_short(key: str, lang: str = DEFAULT_LANG) -> str:
    """One-word dimension label for narrow table headers (``economy`` → ``Ekonomi``)."""
    return t(f"dimshort.{key}", lang) if has(f"dimshort.{key}") else dimension_name(key, lang)


def verdict_name(verdict: str, lang: str = DEFAULT_LANG) -> str:
    """Translated trend verdict (``improving`` → ``Membaik``)."""
    return t(f"verdict.{verdict}", lang) if has(f"verdict.{verdict}") else str(verdict)


LIGHTS = (("▲", "green"), ("▲", "green"), ("■", "orange"), ("▼", "red"), ("▼", "red"))


def band_light(band: object, legend: Sequence[str], *, markdown: bool = False,
               lang: str = DEFAULT_LANG) -> str:
    """Status shape + word for a band label by its position in the best-first ``legend``
    (▲ good, ■ middle, ▼ poor); ``markdown`` adds Streamlit colour (never colour alone)."""
    if not isinstance(band, str) or band not in legend:
        return f"○ {t('status.none', lang)}"
    pos = min(list(legend).index(band) * len(LIGHTS) // max(len(legend), 1), len(LIGHTS) - 1)
    shape, colour = LIGHTS[pos]
    return f":{colour}[{shape} {band}]" if markdown else f"{shape} {band}"


def trend_text(arrow: object, verdict: object, significant: object,
               lang: str = DEFAULT_LANG) -> str:
    """``↑ Membaik (signifikan)``: arrow, translated verdict and the significance word."""
    if not isinstance(verdict, str):
        return MISSING
    sig = "trend.significant" if significant is True or significant == 1 else \
        "trend.not_significant"
    text = f"{arrow or ''} {verdict_name(verdict, lang)}".strip()
    return text if verdict == "insufficient data" else f"{text} ({t(sig, lang)})"


def rank_text(rank: object, n: object, lang: str = DEFAULT_LANG) -> str:
    """``Peringkat 2 dari 7``; a dash when unranked."""
    if _missing(rank) or _missing(n):
        return MISSING
    return t("overview.rank", lang, rank=int(float(rank)), n=int(float(n)))  # type: ignore[arg-type]


def labels(keys: Mapping[str, str], lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Column renaming map ``{column: translated label}`` from ``{column: string key}``."""
    return {col: t(key, lang) for col, key in keys.items()}


# --- annual PDF report (smartindex/report_sections.py) -------------------------------------
STRINGS.update({
    "report.title": ("Laporan Tahunan Kota Cerdas", "Smart City Annual Report"),
    "report.subtitle": ("Kartu skor enam dimensi kota cerdas (Griffinger), kinerja kecamatan, "
                        "perbandingan kota dan rekomendasi",
                        "Scorecards on the six smart-city dimensions (Griffinger), district "
                        "performance, peer comparison and recommendations"),
    "report.contents": ("Daftar isi", "Contents"),
    "report.page": ("Halaman", "Page"),
    "report.generated": ("Dibuat", "Generated"),
    "report.run": ("Run skor", "Scoring run"),
    "report.method": ("Metode", "Method"),
    "report.summary": ("Ringkasan eksekutif", "Executive summary"),
    "report.wins": ("Tiga keberhasilan", "Three wins"),
    "report.risks": ("Tiga risiko", "Three risks"),
    "report.priorities": ("Tiga rekomendasi prioritas", "Three priority recommendations"),
    "report.tile_note": ("Skor 0–100 dibandingkan dengan kota pembanding; status = rata-rata "
                         "capaian indikator terhadap target; panah = arah skor.",
                         "Scores 0–100 against the peer cities; status = mean achievement of "
                         "the indicators against their targets; arrow = direction of the score."),
    "report.table_note": ("Capaian = nilai terhadap target (arah indikator diperhitungkan). "
                          "– = tidak ada data atau target.",
                          "Achievement = value against target (indicator direction taken into "
                          "account). – = no data or no target."),
    "report.trend_caption": ("Skor {name} {city}, {first}–{last}",
                             "{name} score of {city}, {first}–{last}"),
    "report.district_caption": ("Skor {name} per kecamatan, {year}",
                                "{name} score by district, {year}"),
    "report.districts": ("Kecamatan", "Districts"),
    "report.district_index": ("Indeks kecamatan", "District index"),
    "report.district_chart": ("Indeks kecamatan {year} (◆ = terbaik dan terburuk)",
                              "District index {year} (◆ = best and worst)"),
    "report.inequality": ("Ketimpangan antarkecamatan", "Inequality between districts"),
    "report.inequality_text": ("Ukuran per dimensi adalah rata-rata ukuran indikatornya "
                               "(Gini, Theil, koefisien variasi: 0 = merata).",
                               "Measures per dimension average those of its indicators "
                               "(Gini, Theil, coefficient of variation: 0 = even)."),
    "report.access": ("Akses penduduk ke Wi-Fi publik dan halte", "Population access to "
                      "public Wi-Fi and stops"),
    "report.access_note": ("Penduduk kelurahan yang titik pusatnya ≤ {radius} m dari aset aktif.",
                           "Residents of kelurahan whose centroid is ≤ {radius} m from an "
                           "active asset."),
    "report.best": ("Terbaik", "Best"),
    "report.worst": ("Terburuk", "Worst"),
    "report.peers": ("Perbandingan dengan kota pembanding", "Peer comparison"),
    "report.peer_chart": ("Skor dimensi {year}: {city} (◆) dan kota pembanding",
                          "Dimension scores {year}: {city} (◆) and the peer cities"),
    "report.peer_note": ("Selisih positif = {city} lebih baik.",
                         "A positive gap means {city} is better."),
    "report.peer_median": ("Median pembanding", "Peer median"),
    "report.best_peer": ("Pembanding terbaik", "Best peer"),
    "report.gap": ("Selisih thd. median", "Gap to median"),
    "report.recommendations": ("Rekomendasi", "Recommendations"),
    "report.recs_intro": ("Rekomendasi disusun dari aturan kebijakan atas kartu skor {year}; "
                          "setiap rekomendasi menyebut buktinya dan perangkat daerah "
                          "penanggung jawab.",
                          "Recommendations come from policy rules applied to the {year} "
                          "scorecard; each names its evidence and the responsible agency."),
    "report.annex_quality": ("Lampiran: kualitas data", "Annex: data quality"),
    "report.quality_intro": ("Data mentah dimuat dan divalidasi sebelum diukur. Baris yang gagal "
                             "validasi dikarantina, tidak dihapus diam-diam.",
                             "Raw data are loaded and validated before measurement. Rows that "
                             "fail validation are quarantined, never silently dropped."),
    "report.sources": ("Sumber data", "Data sources"),
    "report.quarantine_text": ("{n} baris dikarantina.", "{n} rows were quarantined."),
    "report.quarantine_top": ("Tabel menampilkan {k} kelompok terbesar.",
                              "The table shows the {k} largest groups."),
    "report.annex_method": ("Lampiran: metodologi", "Annex: methodology"),
    "report.method_intro": ("Lampiran ini dibuat otomatis dari katalog indikator dan spesifikasi "
                            "metode run skor {run}.",
                            "This annex is generated from the indicator catalogue and the "
                            "method specification of scoring run {run}."),
    "report.method_steps": ("Normalisasi, pembobotan, agregasi dan data hilang",
                             "Normalisation, weighting, aggregation and missing data"),
    "report.indicators": ("Daftar indikator", "Indicator list"),
    "report.direction": ("Arah", "Direction"),
    "report.standard": ("Standar / rujukan", "Standard / reference"),
    "report.definition": ("Definisi", "Definition"),
    "report.uncertainty": ("Ketidakpastian dan sensitivitas", "Uncertainty and sensitivity"),
    "report.uncertainty_text": ("Analisis Monte Carlo mengubah asumsi metode secara acak; "
                                "tabel menunjukkan interval peringkat 5–95% dan indeks "
                                "sensitivitas tiap asumsi.",
                                "A Monte Carlo analysis varies the method's assumptions at "
                                "random; the tables show 5–95% rank intervals and the "
                                "sensitivity index of each assumption."),
    "report.assumption": ("Asumsi", "Assumption"),
    "report.run_manifest": ("Manifes run", "Run manifest"),
    "report.cite": ("Sumber dan cara mengutip", "Sources and how to cite"),
    "report.cite_intro": ("Kutip laporan ini sebagai berikut:", "Cite this report as:"),
    "report.source_list": ("Sumber data", "Data sources"),
    "report.citation": ("smartindex ({gen_year}). {title} {city} {year} ({lang_name}). Run skor "
                        "{run}, metode {method}.",
                        "smartindex ({gen_year}). {title}: {city} {year} ({lang_name}). "
                        "Scoring run {run}, method {method}."),
    "report.licence": ("Huruf: DejaVu Sans (lisensi Bitstream Vera). Dibuat dengan smartindex "
                       "dan typst.",
                       "Typeface: DejaVu Sans (Bitstream Vera licence). Made with smartindex "
                       "and typst."),
    "report.synthetic": ("Catatan: sebagian data adalah data sintetis untuk demonstrasi.",
                         "Note: some data are synthetic, for demonstration."),
})


# --- app view labels (smartindex/views.py, app_pages/) -------------------------------------
STRINGS.update({
    "app.choose": ("Pilih satu atau lebih", "Choose options"),
    "downloads.size": ("{rows} baris × {cols} kolom", "{rows} rows × {cols} columns"),
    "ineq.gini": ("Gini", "Gini"),
    "ineq.theil": ("Theil", "Theil"),
    "ineq.cv": ("Koef. variasi", "Coef. of variation"),
    "ineq.best_worst_ratio": ("Rasio terbaik/terburuk", "Best/worst ratio"),
    "normalise.minmax": ("Min–maks (0–100)", "Min–max (0–100)"),
    "normalise.zscore": ("Skor z", "z-score"),
    "normalise.rank": ("Peringkat", "Rank"),
    "normalise.prank": ("Peringkat persentil", "Percentile rank"),
    "normalise.dist2max": ("Jarak ke nilai terbaik", "Distance to the best"),
    "normalise.fracmax": ("Proporsi dari nilai terbaik", "Fraction of the best"),
    "aggregate.arithmetic": ("Rata-rata aritmetika", "Arithmetic mean"),
    "aggregate.geometric": ("Rata-rata geometrik", "Geometric mean"),
    "aggregate.harmonic": ("Rata-rata harmonik", "Harmonic mean"),
    "assumption.normalise": ("Normalisasi", "Normalisation"),
    "assumption.aggregate": ("Agregasi", "Aggregation"),
    "assumption.weights": ("Bobot", "Weights"),
    "assumption.winsor_max": ("Batas winsorisasi", "Winsorisation limit"),
    "assumption.impute": ("Imputasi", "Imputation"),
    "col.weight": ("Bobot", "Weight"),
    "col.direction": ("Arah", "Direction"),
    "col.source_file": ("Berkas sumber", "Source file"),
    "col.table": ("Tabel", "Table"),
    "col.finished": ("Selesai", "Finished"),
    "col.warnings": ("Peringatan", "Warnings"),
    "col.error": ("Galat", "Error"),
    "col.expectation": ("Pemeriksaan", "Check"),
    "col.columns": ("Kolom", "Columns"),
    "col.rows": ("Baris", "Rows"),
    "col.example_reason": ("Contoh alasan", "Example reason"),
    "col.example_row": ("Contoh baris", "Example row"),
    "col.n_values": ("Jumlah nilai", "Values"),
    "col.min": ("Min.", "Min."),
    "col.max": ("Maks.", "Max."),
    "col.mean": ("Rata-rata", "Mean"),
    "col.median": ("Median", "Median"),
    "col.sd": ("Simpangan baku", "Std. dev."),
    "col.skew": ("Kemencengan", "Skewness"),
    "col.kurt": ("Kurtosis", "Kurtosis"),
    "col.outlier": ("Pencilan", "Outliers"),
    "col.before": ("Skor terbit", "Published score"),
    "col.after": ("Skor pilihan Anda", "Score, your choices"),
    "col.rank_before": ("Peringkat terbit", "Published rank"),
    "col.rank_after": ("Peringkat pilihan Anda", "Rank, your choices"),
    "col.n_years": ("Jumlah tahun", "Years"),
})

# --- recommendation evidence columns (smartindex.recommend evidence keys) ------------------
STRINGS.update({
    "col.best_district": ("Kecamatan terbaik", "Best district"),
    "col.worst_district": ("Kecamatan terburuk", "Worst district"),
    "col.best_value": ("Nilai terbaik", "Best value"),
    "col.final_target": ("Target akhir", "Final target"),
    "col.first_year": ("Tahun awal", "First year"),
    "col.gap_median": ("Selisih thd. median", "Gap to median"),
    "col.indicator": ("Indikator", "Indicator"),
    "col.inequality": ("Ketimpangan", "Inequality"),
    "col.n_cities": ("Jumlah kota", "Cities"),
    "col.n_districts": ("Jumlah kecamatan", "Districts"),
    "col.projected": ("Proyeksi", "Projected"),
    "col.projected_achievement": ("Proyeksi capaian (%)", "Projected achievement (%)"),
    "col.severity": ("Bobot masalah", "Severity"),
    "col.target_year": ("Tahun target", "Target year"),
    "col.threshold": ("Ambang", "Threshold"),
})

STRINGS.update({
    "load.loaded": ("dimuat", "loaded"),
    "load.replaced": ("diganti", "replaced"),
    "load.skipped": ("dilewati (tidak berubah)", "skipped (unchanged)"),
    "load.failed": ("gagal", "failed"),
})

STRINGS.update({
    "dimshort.economy": ("Ekonomi", "Economy"),
    "dimshort.people": ("Masyarakat", "People"),
    "dimshort.governance": ("Tata kelola", "Governance"),
    "dimshort.mobility": ("Mobilitas", "Mobility"),
    "dimshort.environment": ("Lingkungan", "Environment"),
    "dimshort.living": ("Kehidupan", "Living"),
})
