//! Collation oracle: `text_vi::compare`/`text_vi::sort` (ICU4X, CLDR `vi`) must agree with
//! `Intl.Collator('vi-VN')` in Node.js (ICU4C with full ICU data).
//!
//! Node is required. When it is missing, or built without full ICU (so `vi` would silently fall
//! back to the root collation), this test FAILS with a message instead of passing vacuously.
//! Set `TEXT_VI_NODE` to point at a specific node binary.
//!
//! Both sides use default options: tertiary strength, non-ignorable punctuation/spaces,
//! case-first off, numeric off. Canonically equivalent strings (NFC vs NFD) compare equal on both
//! sides; both sorts are stable, so such ties keep their input order and the sorted lists still
//! have to be identical element by element. On top of the sorted order, the full pairwise sign
//! matrix is compared, so any disagreement on ties shows up too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cmp::Ordering;
use std::io::Write;
use std::process::{Command, Stdio};

const NODE_SCRIPT: &str = r#"
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const words = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const supported = Intl.Collator.supportedLocalesOf(['vi-VN', 'vi']);
  const collator = new Intl.Collator('vi-VN');
  const sorted = words.slice().sort(collator.compare);
  const matrix = words.map((a) => words.map((b) => {
    const c = collator.compare(a, b);
    return c < 0 ? '<' : c > 0 ? '>' : '=';
  }).join(''));
  process.stdout.write(JSON.stringify({
    supported,
    icu: process.versions.icu || null,
    options: collator.resolvedOptions(),
    sorted,
    matrix,
  }));
});
"#;

/// Fixed list covering every letter of the Vietnamese alphabet, all five tones, capitals, đ,
/// ă/â, ô/ơ, ư, old/new tone placement, spaces, digits, punctuation and NFD input.
const WORDS: &[&str] = &[
    // a ă â with tones and case
    "a",
    "A",
    "à",
    "á",
    "ả",
    "ã",
    "ạ",
    "ă",
    "Ă",
    "ằ",
    "ắ",
    "ẳ",
    "ẵ",
    "ặ",
    "â",
    "Â",
    "ầ",
    "ấ",
    "ẩ",
    "ẫ",
    "ậ",
    "Anh",
    "anh",
    "Ánh",
    "ánh",
    "Ảnh",
    "Ăn",
    "ăn",
    "Ân",
    "ân",
    "Ấn",
    "Âu",
    "An Giang",
    "An",
    "Ba",
    "bà",
    "Bá",
    "Bảo",
    "Bắc Giang",
    "Bắc Ninh",
    "Bến Tre",
    "bình",
    "Bình",
    "Bình Định",
    "Cà Mau",
    "Cao Bằng",
    "cá",
    "Chi",
    "Chí",
    "chị",
    "Cường",
    // d đ
    "d",
    "D",
    "đ",
    "Đ",
    "Da",
    "Dương",
    "dương",
    "Dung",
    "Dũng",
    "Đà Nẵng",
    "Đặng",
    "đặng",
    "ĐẶNG",
    "Đinh",
    "Đỗ",
    "Đông",
    "Đồng Nai",
    "Điện Biên",
    "dz",
    "đa",
    // e ê
    "e",
    "è",
    "é",
    "ẻ",
    "ẽ",
    "ẹ",
    "ê",
    "Ê",
    "ề",
    "ế",
    "ể",
    "ễ",
    "ệ",
    "Em",
    "Êm",
    "Ếch",
    // g h i
    "Gia Lai",
    "giá",
    "Giang",
    "Hà",
    "hà",
    "Hạ",
    "hạ",
    "Hà Giang",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa",
    "hòa",
    "hoà",
    "Hoà",
    "HOÀ",
    "hoa",
    "Hoa",
    "hóa",
    "hoá",
    "Hoàng",
    "hoàn",
    "Hương",
    "Hưng Yên",
    "Hữu",
    "i",
    "ì",
    "í",
    "ỉ",
    "ĩ",
    "ị",
    "Ích",
    // k l m n
    "Kiên Giang",
    "Kon Tum",
    "khỏe",
    "khoẻ",
    "khuyến",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lê",
    "Lý",
    "Mai",
    "Mạnh",
    "Minh",
    "Nam",
    "Nam Định",
    "Ngô",
    "Nguyễn",
    "nguyễn",
    "NGUYỄN",
    "Nghệ An",
    "Ninh Bình",
    // o ô ơ
    "o",
    "O",
    "ò",
    "ó",
    "ỏ",
    "õ",
    "ọ",
    "ô",
    "Ô",
    "ồ",
    "ố",
    "ổ",
    "ỗ",
    "ộ",
    "ơ",
    "Ơ",
    "ờ",
    "ớ",
    "ở",
    "ỡ",
    "ợ",
    "Oanh",
    "Ôn",
    "Ơn",
    "ông",
    "ơn",
    // p q r s t
    "Phú Thọ",
    "Phạm",
    "Phan",
    "Phường 1",
    "Phường 2",
    "Phường 10",
    "Phường 11",
    "Phường 1A",
    "phường 1",
    "Quảng Nam",
    "Quảng Ninh",
    "Quang",
    "quý",
    "Quỳnh",
    "Rạch Giá",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thanh Hoá",
    "thủy",
    "thuỷ",
    "Thừa Thiên Huế",
    "Trà Vinh",
    "Trần",
    "Trương",
    "Tuyên Quang",
    // u ư v x y
    "u",
    "U",
    "ù",
    "ú",
    "ủ",
    "ũ",
    "ụ",
    "ư",
    "Ư",
    "ừ",
    "ứ",
    "ử",
    "ữ",
    "ự",
    "Ưng",
    "ưng",
    "Uyên",
    "Ủy ban",
    "Uỷ ban",
    "Ủy ban nhân dân",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Võ",
    "Vũ",
    "Xã Hữu Lũng",
    "xã Hữu Lũng",
    "Xã Hữu Kiên",
    "Xuân",
    "y",
    "Y",
    "ỳ",
    "ý",
    "Ý",
    "ỷ",
    "ỹ",
    "ỵ",
    "Yên Bái",
    "Yến",
    "yến",
    // digits, spaces, punctuation, mixed
    "0",
    "1",
    "2",
    "9",
    "10",
    "100",
    "2025",
    "Số 1",
    "Số 01",
    "Số 1/2025",
    "12/2025/QĐ-UBND",
    "Tổ 3",
    "Tổ 3 ",
    " Tổ 3",
    "Tổ  3",
    "Hoà giải",
    "Hòa giải",
    "hòa-giải",
    "hòa_giải",
    "(Hòa)",
    "Nguyễn Văn An",
    "Nguyễn Văn Anh",
    "Nguyễn Thị Ánh",
    "Trần Thị Ngọc Ánh",
    "Lê Văn Đức",
    // NFD spellings (canonically equivalent to precomposed entries above)
    "Nguye\u{0302}\u{0303}n",
    "ho\u{0300}a",
    "hoa\u{0300}",
    "D\u{031B}o\u{031B}ng",
    "Đa\u{0306}\u{0323}ng",
];

/// Deterministic xorshift64* so the "random" part is identical on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_words(count: usize) -> Vec<String> {
    const ALPHABET: &[&str] = &[
        "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô",
        "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y", "A", "Ă", "Â", "Đ", "D", "Ô", "Ơ",
        "Ư", "Y", "à", "ã", "ầ", "ắ", "ẫ", "ậ", "ế", "ệ", "ì", "ỏ", "ố", "ờ", "ợ", "ú", "ừ", "ữ",
        "ỳ", "ỵ", "Ấ", "Ở", "Ự", "ch", "gh", "gi", "kh", "ng", "ngh", "nh", "ph", "qu", "th", "tr",
        "oa", "oà", "òa", "uy", "uỷ", "ủy", " ", " ", "0", "1", "5", "9", "-", ".", "/",
        "\u{0301}", "\u{0323}",
    ];
    let mut rng = Rng(0x7E57_0F1A_9E37_79B9);
    (0..count)
        .map(|_| {
            let len = 1 + rng.below(7);
            (0..len)
                .map(|_| ALPHABET[rng.below(ALPHABET.len())])
                .collect()
        })
        .collect()
}

fn node_binary() -> String {
    if let Ok(p) = std::env::var("TEXT_VI_NODE") {
        return p;
    }
    for candidate in ["node", "/usr/bin/node", "/usr/local/bin/node"] {
        if Command::new(candidate)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        {
            return candidate.to_string();
        }
    }
    panic!(
        "collation oracle needs Node.js (with full ICU) but `node` was not found on PATH, \
         /usr/bin/node or /usr/local/bin/node; install nodejs or set TEXT_VI_NODE=/path/to/node"
    );
}

struct NodeAnswer {
    icu: String,
    sorted: Vec<String>,
    matrix: Vec<Vec<char>>,
}

fn ask_node(words: &[String]) -> NodeAnswer {
    let node = node_binary();
    let mut child = Command::new(&node)
        .arg("-e")
        .arg(NODE_SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("failed to start {node}: {e}; the collation oracle needs Node.js with full ICU")
        });
    let input = serde_json::to_vec(words).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{node} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let supported: Vec<String> = serde_json::from_value(v["supported"].clone()).unwrap();
    assert!(
        supported.iter().any(|l| l.starts_with("vi")),
        "{node} lacks Vietnamese ICU data (Intl.Collator.supportedLocalesOf -> {supported:?}); \
         a full-ICU Node build is required for the collation oracle"
    );
    let options = &v["options"];
    assert!(
        options["locale"]
            .as_str()
            .is_some_and(|l| l.starts_with("vi")),
        "Node resolved collator options {options}"
    );
    assert_eq!(
        options["sensitivity"], "variant",
        "Node must use tertiary strength"
    );
    assert_eq!(options["ignorePunctuation"], false);
    assert_eq!(options["numeric"], false);
    NodeAnswer {
        icu: v["icu"].as_str().unwrap_or("?").to_string(),
        sorted: serde_json::from_value(v["sorted"].clone()).unwrap(),
        matrix: serde_json::from_value::<Vec<String>>(v["matrix"].clone())
            .unwrap()
            .into_iter()
            .map(|row| row.chars().collect())
            .collect(),
    }
}

fn sign(o: Ordering) -> char {
    match o {
        Ordering::Less => '<',
        Ordering::Equal => '=',
        Ordering::Greater => '>',
    }
}

fn check_against_node(words: Vec<String>) {
    let node = ask_node(&words);

    let mut ours = words.clone();
    text_vi::sort(&mut ours);

    let mut disagreements = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for (j, b) in words.iter().enumerate() {
            let mine = sign(text_vi::compare(a, b));
            let theirs = node.matrix[i][j];
            if mine != theirs {
                disagreements.push(format!("{a:?} vs {b:?}: text_vi {mine}, Node {theirs}"));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} pairwise disagreements with Node ICU {} (first 20):\n{}",
        disagreements.len(),
        node.icu,
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );

    if ours != node.sorted {
        let first = ours
            .iter()
            .zip(&node.sorted)
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "sorted order differs from Node ICU {} at index {first}:\n text_vi: {:?}\n node:    {:?}",
            node.icu,
            &ours[first..(first + 5).min(ours.len())],
            &node.sorted[first..(first + 5).min(node.sorted.len())],
        );
    }
}

#[test]
fn fixed_word_list_matches_node_intl_collator() {
    let words: Vec<String> = WORDS.iter().map(|s| s.to_string()).collect();
    assert!(words.len() >= 200, "word list has {} entries", words.len());
    check_against_node(words);
}

#[test]
fn seeded_random_strings_match_node_intl_collator() {
    let mut words = random_words(300);
    // Mix in the fixed list so random strings are also ranked against real words.
    words.extend(WORDS.iter().step_by(3).map(|s| s.to_string()));
    check_against_node(words);
}

#[test]
fn known_vietnamese_order() {
    // Sanity check independent of Node: the example from the specification.
    let mut v: Vec<String> = ["Đặng", "Dương", "Ân", "Ăn", "Anh"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    text_vi::sort(&mut v);
    assert_eq!(v, ["Anh", "Ăn", "Ân", "Dương", "Đặng"]);
}
