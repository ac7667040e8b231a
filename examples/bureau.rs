//! Writes a seeded, realistic bureau for batch scoring and its benchmark: budget.csv,
//! spending.csv (Chinese descriptions, ~4% quoted fields — commas, doubled quotes, a few
//! line breaks —, 0.5% negative reversals, a few rows dated in the previous year, skewed
//! project sizes), outputs.csv, judgments.csv, projects.csv and the two schemes, in UTF-8
//! or GBK.
//!
//! ```sh
//! cargo run --release --example bureau -- --projects 20000 --rows 1000000 --encoding gbk OUT_DIR
//! ```
//!
//! Options: `--projects N` (20000), `--rows N` (1000000), `--encoding utf-8|gbk` (utf-8),
//! `--seed N` (1), `--unjudged N` (0: projects whose judgments of qualitative indicators
//! are left out, so that they fail). The same seed gives the same bytes.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

const LEGAL_AID: &str = include_str!("../indicators/legal-aid-2022.toml");
const SELF_EVALUATION: &str = include_str!("../indicators/project-self-evaluation.toml");

/// xorshift64*: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, per_10000: u64) -> bool {
        self.below(10_000) < per_10000
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const DEPARTMENTS: &[&str] = &[
    "市司法局",
    "市教育局",
    "市卫生健康委员会",
    "市民政局",
    "市农业农村局",
    "市交通运输局",
    "市文化广电旅游局",
    "市生态环境局",
    "市住房和城乡建设局",
    "市人力资源和社会保障局",
];
const WORKS: &[&str] = &[
    "法律援助",
    "义务教育薄弱环节改善",
    "基本公共卫生服务",
    "困难群众救助",
    "高标准农田建设",
    "农村公路养护",
    "公共文化服务体系建设",
    "大气污染防治",
    "老旧小区改造",
    "就业创业补贴",
];
const ITEMS: &[&str] = &[
    "办案补贴",
    "差旅费",
    "印刷费",
    "培训费",
    "劳务费",
    "委托业务费",
    "办公用品购置",
    "设备维修",
    "宣传材料制作",
    "专家咨询费",
    "会议费",
    "工程进度款",
];
const DETAILS: &[&str] = &[
    "第一季度民事案件办案补贴",
    "赴省城参加业务培训",
    "印制法律援助宣传手册",
    "聘请专家评审",
    "支付第三方服务机构服务费",
    "购置打印纸及耗材",
    "村级服务站点维护",
    "支付工程进度款（第二期）",
    "发放困难群众临时救助金",
    "举办乡村振兴政策宣讲会",
];

/// What to generate.
pub struct Options {
    pub projects: usize,
    pub rows: usize,
    pub gbk: bool,
    pub seed: u64,
    /// The first this many legal-aid projects get no judgments.
    pub unjudged: usize,
    pub out: PathBuf,
}

fn args() -> Options {
    let mut a = Options {
        projects: 20_000,
        rows: 1_000_000,
        gbk: false,
        seed: 1,
        unjudged: 0,
        out: PathBuf::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("a value after the option");
        match arg.as_str() {
            "--projects" => a.projects = value().parse().expect("--projects N"),
            "--rows" => a.rows = value().parse().expect("--rows N"),
            "--seed" => a.seed = value().parse().expect("--seed N"),
            "--unjudged" => a.unjudged = value().parse().expect("--unjudged N"),
            "--encoding" => {
                a.gbk = match value().as_str() {
                    "gbk" | "gb18030" => true,
                    "utf-8" | "utf8" => false,
                    other => panic!("--encoding utf-8|gbk, not {other}"),
                }
            }
            _ if arg.starts_with("--") => panic!("unknown option {arg}"),
            _ => a.out = PathBuf::from(arg),
        }
    }
    assert!(
        !a.out.as_os_str().is_empty(),
        "usage: bureau [options] OUT_DIR"
    );
    assert!(a.projects > 0);
    a
}

/// A text file in UTF-8 or GBK, written through a buffer.
struct Out {
    file: std::io::BufWriter<std::fs::File>,
    gbk: bool,
}

impl Out {
    fn create(path: &Path, gbk: bool) -> Out {
        let file = std::fs::File::create(path).expect("create a file in OUT_DIR");
        Out {
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            gbk,
        }
    }
    fn write(&mut self, text: &str) {
        if self.gbk {
            let (bytes, _, bad) = encoding_rs::GBK.encode(text);
            assert!(!bad, "text that GBK cannot encode: {text}");
            self.file.write_all(&bytes).expect("write");
        } else {
            self.file.write_all(text.as_bytes()).expect("write");
        }
    }
}

fn money(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    format!("{sign}{}.{:02}", f / 100, f % 100)
}

fn main() {
    generate(&args());
}

/// Write the bureau into `a.out`.
pub fn generate(a: &Options) {
    std::fs::create_dir_all(&a.out).expect("create OUT_DIR");
    let mut rng = Rng(a.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let n = a.projects;
    let ids: Vec<String> = (0..n)
        .map(|i| format!("{:02}-2024-{:05}", i % DEPARTMENTS.len() + 1, i + 1))
        .collect();

    // Skewed sizes: project i's weight falls like 1/(rank + 20), the ranks shuffled.
    let mut ranks: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        ranks.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut cumulative = Vec::with_capacity(n);
    let mut total = 0.0f64;
    for &r in &ranks {
        total += 1.0 / (r as f64 + 20.0);
        cumulative.push(total);
    }

    // The ledger, in date order as a budget system exports it; sums kept for the budget.
    let mut spent = vec![0i64; n];
    let mut s = Out::create(&a.out.join("spending.csv"), a.gbk);
    s.write("project,date,amount,voucher,category,description\n");
    let mut line = String::with_capacity(256);
    for row in 0..a.rows {
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let p = cumulative.partition_point(|&c| c < x).min(n - 1);
        let day = row * 365 / a.rows.max(1);
        // 0.1% of the rows are late entries of the previous December.
        let (year, (month, dom)) = if rng.chance(10) {
            (2023, (12, 1 + rng.below(31) as u32))
        } else {
            (2024, month_day(day as u32))
        };
        let mut fen = (rng.below(2_000_000) + 100) as i64;
        if rng.chance(50) {
            fen = -fen / 10;
        }
        spent[p] += fen;
        let voucher = if rng.chance(2) {
            format!("记-{:07}", row.saturating_sub(1))
        } else {
            format!("记-{row:07}")
        };
        let item = rng.pick(ITEMS);
        let detail = rng.pick(DETAILS);
        line.clear();
        let _ = write!(line, "{},{year}-{month:02}-{dom:02},", ids[p]);
        // ~4% quoted fields: an amount with thousands separators, a description holding a
        // comma, doubled quotes or (rarely) a line break.
        let q = rng.below(10_000);
        if q < 100 && fen.abs() >= 100_000 {
            let yuan = money(fen);
            let (int, frac) = yuan.split_once('.').expect("two decimals");
            let _ = write!(line, "\"{}.{frac}\"", thousands(int));
        } else {
            line.push_str(&money(fen));
        }
        let _ = write!(line, ",{voucher},{item},");
        match q {
            100..=299 => {
                let _ = write!(line, "\"{detail},{}\"", rng.pick(ITEMS));
            }
            300..=379 => {
                let _ = write!(line, "\"购买\"\"{}\"\"宣传册\"", rng.pick(WORKS));
            }
            380..=399 => {
                let _ = write!(line, "\"{detail}\n附：{}\"", rng.pick(ITEMS));
            }
            _ => line.push_str(detail),
        }
        line.push('\n');
        s.write(&line);
    }
    s.file.flush().expect("flush");

    // The budget: the spending is 45%–105% of it, so some projects spend too little.
    let mut b = Out::create(&a.out.join("budget.csv"), a.gbk);
    b.write("project,name,year,initial_budget,adjusted_budget,allocated,source\n");
    let mut p = Out::create(&a.out.join("projects.csv"), a.gbk);
    p.write("project,scheme,department,unit\n");
    let mut o = Out::create(&a.out.join("outputs.csv"), a.gbk);
    o.write("project,metric,value,unit,note\n");
    let mut j = Out::create(&a.out.join("judgments.csv"), a.gbk);
    j.write("project,indicator,tier,score,deduction,reason,scheme\n");
    for (i, id) in ids.iter().enumerate() {
        let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
        let work = rng.pick(WORKS);
        let rate = 4_500 + rng.below(6_100) as i64; // in 0.01%
        let budget = (spent[i].max(100_000) * 10_000 / rate).max(100_000) / 100 * 100;
        let name = format!("{work}项目{}", i + 1);
        if rng.chance(2000) {
            let carry = budget / 5 / 100 * 100;
            b.write(&format!(
                "{id},{name},2024,{},{},{},当年财政拨款\n",
                money(budget - carry),
                money(budget - carry),
                money(budget - carry)
            ));
            b.write(&format!(
                "{id},{name},2024,{},{},{},上年结转\n",
                money(carry),
                money(carry),
                money(carry)
            ));
        } else {
            b.write(&format!(
                "{id},{name},2024,{},{},{},当年财政拨款\n",
                money(budget),
                money(budget),
                money(budget)
            ));
        }
        let legal = i % 5 != 4;
        let scheme = if legal {
            "legal-aid.toml"
        } else {
            "self-evaluation.toml"
        };
        p.write(&format!("{id},{scheme},{dept},{dept}{work}中心\n"));
        if legal {
            let civil = 60 + rng.below(80);
            let criminal = 10 + rng.below(40);
            for (metric, value, unit) in [
                ("cases_civil", civil.to_string(), "件"),
                ("cases_criminal", criminal.to_string(), "件"),
                ("consultations", (300 + rng.below(400)).to_string(), "起"),
                ("migrant_workers", (20 + rng.below(80)).to_string(), "人"),
                ("substandard_files", rng.below(3).to_string(), "件"),
                (
                    "follow_ups",
                    (civil + criminal - rng.below(10)).to_string(),
                    "件",
                ),
                ("late_petitions", "0".into(), "件"),
                ("violations", "0".into(), "件"),
                ("complaints", rng.below(2).to_string(), "件"),
                ("has_financial_rules", "是".into(), ""),
                (
                    "has_business_rules",
                    if rng.chance(9000) { "是" } else { "否" }.into(),
                    "",
                ),
            ] {
                o.write(&format!("{id},{metric},{value},{unit},\n"));
            }
            if i < a.unjudged {
                continue;
            }
            for (ind, points) in [
                ("D1", 3),
                ("D2", 2),
                ("D3", 2),
                ("D4", 2),
                ("D5", 3),
                ("D6", 3),
                ("P5", 4),
                ("B1", 6),
                ("B2", 4),
                ("B3", 5),
                ("B4", 5),
            ] {
                if rng.chance(8000) {
                    j.write(&format!(
                        "{id},{ind},达成年度指标,{points},,,legal-aid-2022\n"
                    ));
                } else {
                    // 70% of the weight: inside the middle tier [60%, 80%).
                    let score = format!("{}.{}", points * 7 / 10, points * 7 % 10);
                    j.write(&format!("{id},{ind},部分达成年度指标并具有一定效果,{score},,宣传有待加强,legal-aid-2022\n"));
                }
            }
            j.write(&format!("{id},P2,,,,预算执行进度偏慢,legal-aid-2022\n"));
        } else {
            for metric in [
                "output_quantity_rate",
                "output_quality_rate",
                "output_timeliness_rate",
                "cost_control_rate",
                "benefit_rate",
                "satisfaction_rate",
            ] {
                o.write(&format!("{id},{metric},{}%,%,\n", 70 + rng.below(31)));
            }
        }
    }
    for f in [&mut b, &mut p, &mut o, &mut j] {
        f.file.flush().expect("flush");
    }
    std::fs::write(a.out.join("legal-aid.toml"), LEGAL_AID).expect("write the scheme");
    std::fs::write(a.out.join("self-evaluation.toml"), SELF_EVALUATION).expect("write the scheme");
}

fn thousands(int: &str) -> String {
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// Day 0–364 of 2024 → (month, day).
fn month_day(day: u32) -> (u32, u32) {
    const DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = day.min(365);
    for (m, &len) in DAYS.iter().enumerate() {
        if d < len {
            return (m as u32 + 1, d + 1);
        }
        d -= len;
    }
    (12, 31)
}
