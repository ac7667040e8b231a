#!/usr/bin/env bash
# 重新生成《jixiao 使用手册》（docs/zh/）中的全部图片和终端输出。
#
# 在仓库根目录运行：
#
#     bash docs/zh/images/make.sh
#
# 它用随附的示例 samples/legal-aid-2022 生成：
#
#   self-evaluation-form-N.png  《项目支出绩效自评表》（export → LibreOffice 转 PDF → 每页一张 PNG）
#   report-screen.png           绩效评价报告 HTML 在浏览器中的样子（无界面 Chromium 截图）
#   report-print.png            同一报告打印成 A4 后含“综合评分表”的那一页
#   monitor-form.png            截至 2022-07-31 的《项目支出绩效目标执行监控表》（monitor --xlsx）
#   *.txt                       终端输出（tmux 中按 80 列或 120 列宽运行后抓取的文字），
#                               同时替换各章 Markdown 中
#                               <!-- BEGIN make.sh NAME --> 与 <!-- END make.sh NAME --> 之间的代码块
#
# 需要：Rust 工具链（cargo）、LibreOffice（soffice）、poppler-utils（pdftoppm、pdftotext）、
# chromium、tmux。Debian/Ubuntu：apt-get install -y libreoffice-calc poppler-utils chromium tmux
#
# 环境变量 JIXIAO 可指定已编译好的程序；默认先 cargo build --release，再用 target/release/jixiao。
# 每张 PNG 控制在 150 KB 以内：超出时自动降低分辨率重新生成。
set -euo pipefail
shopt -s nullglob

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
OUT=docs/zh/images
ZH=docs/zh
SAMPLE=samples/legal-aid-2022
MAX_BYTES=153600

if [ -z "${JIXIAO:-}" ]; then
    cargo build --release --quiet
    JIXIAO="$ROOT/target/release/jixiao"
fi
for tool in soffice pdftoppm pdftotext tmux; do
    command -v "$tool" >/dev/null || { echo "make.sh: 缺少 $tool" >&2; exit 2; }
done
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROMIUM" ] || { echo "make.sh: 缺少 chromium" >&2; exit 2; }

TMP=$(mktemp -d)
SOCK="jixiao-docs-$$"
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

size() { wc -c < "$1" | tr -d ' '; }
# quiet COMMAND… — runs COMMAND, showing what it printed only when it fails.
quiet() { "$@" >"$TMP/log" 2>&1 || { cat "$TMP/log" >&2; return 1; }; }

# pdf_page_png PDF PAGE OUT.png RES [pdftoppm options…]
# One page of a PDF as PNG, at RES dpi, lowered until the file is under MAX_BYTES.
pdf_page_png() {
    local pdf=$1 page=$2 out=$3 res=$4
    shift 4
    while :; do
        pdftoppm -png -r "$res" -f "$page" -l "$page" -singlefile "$@" "$pdf" "$TMP/page"
        if [ "$(size "$TMP/page.png")" -le "$MAX_BYTES" ] || [ "$res" -le 50 ]; then
            mv "$TMP/page.png" "$out"
            return
        fi
        res=$((res - 8))
    done
}

# ---------------------------------------------------------------- 自评表
quiet "$JIXIAO" export "$SAMPLE" --xlsx "$TMP/form.xlsx"
(cd "$TMP" && soffice --headless --convert-to pdf form.xlsx >/dev/null 2>&1)
rm -f "$OUT"/self-evaluation-form-*.png
pages=$(pdfinfo "$TMP/form.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
pages=${pages:-1}
for p in $(seq 1 "$pages"); do
    pdf_page_png "$TMP/form.pdf" "$p" "$OUT/self-evaluation-form-$p.png" 80
done
# the pictures of every page, put into the manual between its form-pages markers
for p in $(seq 1 "$pages"); do
    [ "$p" -gt 1 ] && echo
    echo "![自评表第 $p 页](images/self-evaluation-form-$p.png)"
done > "$TMP/form-pages.md"

# the second sample (a name that starts with its year, spending with fen): its form's first
# page and its report's top
SAMPLE2=samples/rural-water-2023
quiet "$JIXIAO" export "$SAMPLE2" --xlsx "$TMP/form2.xlsx"
(cd "$TMP" && soffice --headless --convert-to pdf form2.xlsx >/dev/null 2>&1)
pdf_page_png "$TMP/form2.pdf" 1 "$OUT/rural-water-form-1.png" 80

# the 监控表 of the sample as of 2022-07-31 (运行监控)
quiet "$JIXIAO" monitor "$SAMPLE" --as-of 2022-07-31 --xlsx "$TMP/monitor.xlsx"
(cd "$TMP" && soffice --headless --convert-to pdf monitor.xlsx >/dev/null 2>&1)
pdf_page_png "$TMP/monitor.pdf" 1 "$OUT/monitor-form.png" 80

# ---------------------------------------------------------------- 报告（HTML）
quiet "$JIXIAO" report "$SAMPLE" --html -o "$TMP/report.html"
chrome() {
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$TMP/chromium" "$@" 2>/dev/null
}
width=820
while :; do
    chrome --window-size="$width,1000" --screenshot="$TMP/screen.png" "file://$TMP/report.html" >/dev/null
    if [ "$(size "$TMP/screen.png")" -le "$MAX_BYTES" ] || [ "$width" -le 600 ]; then break; fi
    width=$((width - 60))
done
mv "$TMP/screen.png" "$OUT/report-screen.png"
quiet "$JIXIAO" report "$SAMPLE2" --html -o "$TMP/report2.html"
chrome --window-size="$width,700" --screenshot="$TMP/screen2.png" "file://$TMP/report2.html" >/dev/null
mv "$TMP/screen2.png" "$OUT/rural-water-report.png"
chrome --no-pdf-header-footer --print-to-pdf="$TMP/report.pdf" "file://$TMP/report.html" >/dev/null
# the printed page holding the 综合评分表
page=1
rpages=$(pdfinfo "$TMP/report.pdf" | awk '/^Pages:/ {print $2}')
for p in $(seq 1 "$rpages"); do
    if pdftotext -f "$p" -l "$p" "$TMP/report.pdf" - | grep -q '综合评分表'; then page=$p; break; fi
done
pdf_page_png "$TMP/report.pdf" "$page" "$OUT/report-print.png" 72 -gray

# ---------------------------------------------------------------- 终端输出
# capture NAME WIDTH DIR COMMAND…  — runs COMMAND in a tmux pane WIDTH columns wide, from DIR,
# and keeps what the pane shows (colours dropped, trailing blank lines removed).
capture() {
    local name=$1 width=$2 dir=$3
    shift 3
    local cmd
    cmd=$(printf '%q ' "$@")
    tmux -L "$SOCK" new-session -d -s "$name" -x "$width" -y 50 \
        "cd $(printf '%q' "$dir") && $cmd; tmux -L $SOCK wait-for -S $name-done; sleep 600"
    tmux -L "$SOCK" set-option -t "$name" history-limit 10000 >/dev/null
    tmux -L "$SOCK" wait-for "$name-done"
    tmux -L "$SOCK" capture-pane -p -S - -E - -t "$name" \
        | sed -e 's/[[:space:]]*$//' | awk 'NF {for (; blank > 0; blank--) print ""; print; next} {blank++}' \
        > "$OUT/$name.txt"
    tmux -L "$SOCK" kill-session -t "$name"
}

# one idle session keeps the server up between captures (a server whose last session ends exits)
tmux -L "$SOCK" new-session -d -s keep "sleep 3600"
capture score-120 120 "$ROOT" "$JIXIAO" score "$SAMPLE"
capture score-80 80 "$ROOT" "$JIXIAO" score "$SAMPLE"
capture rural-water-80 80 "$ROOT" "$JIXIAO" score "$SAMPLE2"
capture score-self-evaluation 120 "$ROOT" "$JIXIAO" score "$SAMPLE" --scheme indicators/project-self-evaluation.toml
capture explain-p2 120 "$ROOT" "$JIXIAO" explain "$SAMPLE" P2
capture monitor-80 80 "$ROOT" "$JIXIAO" monitor "$SAMPLE" --as-of 2022-07-31
capture review-workbook 120 "$ROOT" "$JIXIAO" review samples/review/workbooks/official-10-90.xlsx

# An evaluation folder with two mistakes, laid out as the manual suggests (a 评价 folder beside
# indicators/), so that the messages show short relative paths.
mkdir -p "$TMP/work/indicators" "$TMP/work/评价"
cp indicators/legal-aid-2022.toml "$TMP/work/indicators/"
cp -r "$SAMPLE" "$TMP/work/评价/法律援助2022"
sed -i 's/^\(RJ-SFJ-2022-001,2022-05-20,\)1560.00,/\11560.005,/' "$TMP/work/评价/法律援助2022/spending.csv"
sed -i 's/^\(RJ-SFJ-2022-001,B2,部分达成年度指标并具有一定效果,\)3,/\13.5,/' "$TMP/work/评价/法律援助2022/judgments.csv"
capture errors-score 120 "$TMP/work" "$JIXIAO" score 评价/法律援助2022
capture errors-check 120 "$TMP/work" "$JIXIAO" check 评价/法律援助2022

# Put each capture into the chapters, between its markers: NAME.txt of this folder as a
# fenced block, or NAME.md made above as it is.
for md in "$ZH"/*.md; do
    awk -v dir="$OUT" -v tmp="$TMP" '
        /^<!-- BEGIN make.sh [^ ]+ -->$/ {
            print
            name = $4
            raw = tmp "/" name ".md"
            if ((getline line < raw) > 0) {
                print line
                while ((getline line < raw) > 0) print line
                close(raw)
            } else {
                print "```text"
                file = dir "/" name ".txt"
                while ((getline line < file) > 0) print line
                close(file)
                print "```"
            }
            skip = 1
            next
        }
        /^<!-- END make.sh [^ ]+ -->$/ { skip = 0 }
        !skip { print }
    ' "$md" > "$TMP/md" && cat "$TMP/md" > "$md"
done

ls -l "$OUT"
