//! Report forms: built-in catalogue, catalogue checks, validation messages, compute, aggregate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use reports::rules::*;

fn cat() -> FormCatalogue {
    FormCatalogue::builtin().expect("built-in forms load")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn int(v: &mut Values, code: &str, x: i64) {
    v.set_total(code, Value::Int(x));
}

#[test]
fn builtin_has_three_forms_with_sources() {
    let c = cat();
    let mut codes: Vec<&str> = c.forms().iter().map(|f| f.code.as_str()).collect();
    codes.dedup();
    assert_eq!(codes, ["PBGDPL", "HGCS", "TCPL"]);
    let count = |code: &str| {
        c.forms()
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.indicators().count())
            .collect::<Vec<_>>()
    };
    assert_eq!(count("PBGDPL"), [12, 17]);
    assert_eq!(count("HGCS"), [11]);
    assert_eq!(count("TCPL"), [4]);
    for f in c.forms() {
        assert!(!f.sources.is_empty());
        assert!(f.sources.iter().all(|s| s.url.starts_with("http")));
        assert!(
            !f.unverified.is_empty(),
            "{} must list its unverified facts",
            f.code
        );
    }
    assert_eq!(
        c.dimension("target_group").map(|d| d.members.len()),
        Some(6)
    );
}

#[test]
fn form_for_picks_version_by_date() {
    let c = cat();
    assert!(c.form_for("HGCS", d(2026, 1, 1)).is_some());
    assert!(c.form_for("HGCS", d(2025, 12, 31)).is_none());
    assert!(c.form_for("NOPE", d(2026, 6, 1)).is_none());
    // PBGDPL: TT 03/2019 version through 2025, TT 17/2025 version from 2026.
    assert_eq!(
        c.form_for("PBGDPL", d(2025, 12, 31)).map(|f| f.version),
        Some(1)
    );
    assert_eq!(
        c.form_for("PBGDPL", d(2026, 1, 1)).map(|f| f.version),
        Some(2)
    );
    assert_eq!(
        c.form_for("PBGDPL", d(2019, 5, 14)).map(|f| f.version),
        None
    );

    let dims = r#"
[[dimensions]]
code = "x"
name = "X"
exhaustive = true
certainty = "U"
members = [{ code = "a", name = "A" }]
"#;
    let v = |version: u32, from: &str, to: &str| {
        format!(
            r#"
[[forms]]
code = "F"
version = {version}
name = "F"
legal_basis = "test"
valid_from = "{from}"
{to}
levels = ["commune"]
period_kinds = ["year"]
certainty = "U"
sources = [{{ url = "https://example.org", certainty = "U" }}]
[[forms.sections]]
code = "I"
name = "I"
indicators = [{{ code = "a", name = "A", unit = "cuộc", kind = "count", certainty = "U" }}]
"#
        )
    };
    let v1 = v(1, "2019-05-15", r#"valid_to = "2026-01-01""#);
    let v2 = v(2, "2026-01-01", "");
    let c = FormCatalogue::from_toml(dims, &[("v1", &v1), ("v2", &v2)]).unwrap();
    assert_eq!(c.form_for("F", d(2025, 12, 31)).map(|f| f.version), Some(1));
    assert_eq!(c.form_for("F", d(2026, 1, 1)).map(|f| f.version), Some(2));
    assert_eq!(c.form_for("F", d(2019, 5, 14)).map(|f| f.version), None);

    // Overlapping versions are rejected.
    let v1b = v(1, "2019-05-15", r#"valid_to = "2026-02-01""#);
    assert!(matches!(
        FormCatalogue::from_toml(dims, &[("v1", &v1b), ("v2", &v2)]),
        Err(CatalogueError::Overlap(_))
    ));
}

fn one_form(indicators: &str, rules: &str) -> Result<FormCatalogue, CatalogueError> {
    let dims = r#"
[[dimensions]]
code = "x"
name = "X"
exhaustive = true
certainty = "U"
members = [{ code = "a", name = "A" }]
"#;
    let text = format!(
        r#"
[[forms]]
code = "F"
version = 1
name = "F"
legal_basis = "test"
valid_from = "2026-01-01"
levels = ["commune"]
period_kinds = ["year"]
certainty = "U"
sources = [{{ url = "https://example.org", certainty = "U" }}]
[[forms.sections]]
code = "I"
name = "I"
indicators = [{indicators}]
{rules}
"#
    );
    FormCatalogue::from_toml(dims, &[("f", &text)])
}

#[test]
fn catalogue_rejects_bad_forms() {
    let a = r#"{ code = "a", name = "A", unit = "cuộc", kind = "count", certainty = "U" }"#;
    let b = r#"{ code = "b", name = "B", unit = "cuộc", kind = "count", certainty = "U" }"#;
    assert!(one_form(&format!("{a}, {b}"), "").is_ok());
    // Duplicate code.
    assert!(one_form(&format!("{a}, {a}"), "").is_err());
    // Formula input unknown.
    let p = r#"{ code = "p", name = "P", unit = "%", kind = "percentage", formula = { op = "ratio", numerator = "a", denominator = "zz" }, certainty = "U" }"#;
    assert!(one_form(&format!("{a}, {p}"), "").is_err());
    // Percentage without formula.
    let p0 = r#"{ code = "p", name = "P", unit = "%", kind = "percentage", certainty = "U" }"#;
    assert!(one_form(&format!("{a}, {p0}"), "").is_err());
    // Cycle s1 = s2 + a, s2 = s1 + a.
    let s1 = r#"{ code = "s1", name = "S1", unit = "cuộc", kind = "count", formula = { op = "sum", terms = ["s2", "a"] }, certainty = "U" }"#;
    let s2 = r#"{ code = "s2", name = "S2", unit = "cuộc", kind = "count", formula = { op = "sum", terms = ["s1", "a"] }, certainty = "U" }"#;
    let e = one_form(&format!("{a}, {s1}, {s2}"), "").unwrap_err();
    assert!(e.to_string().contains(reports::msg::FORM_FORMULA_CYCLE), "{e}");
    // Chained formulas without a cycle are fine.
    let s3 = r#"{ code = "s3", name = "S3", unit = "cuộc", kind = "count", formula = { op = "sum", terms = ["a", "b"] }, certainty = "U" }"#;
    let s4 = r#"{ code = "s4", name = "S4", unit = "cuộc", kind = "count", formula = { op = "sum", terms = ["s3", "a"] }, certainty = "U" }"#;
    assert!(one_form(&format!("{s4}, {a}, {b}, {s3}"), "").is_ok());
    // Rule referencing an unknown indicator.
    let rule = "[[forms.rules]]\nkind = \"sum_le\"\nparts = [\"a\"]\ntotal = \"nope\"\n";
    assert!(one_form(&format!("{a}, {b}"), rule).is_err());
    // Unknown dimension.
    let dz = r#"{ code = "c", name = "C", unit = "cuộc", kind = "count", disaggregations = ["zz"], certainty = "U" }"#;
    assert!(one_form(dz, "").is_err());
    // Text summed is rejected.
    let t = r#"{ code = "t", name = "T", unit = "", kind = "text", aggregation = "sum", certainty = "U" }"#;
    assert!(one_form(t, "").is_err());
}

#[test]
fn mediation_validation_messages() {
    let c = cat();
    let f = c.form_for("HGCS", d(2026, 7, 1)).unwrap();
    let mut v = Values::new();
    int(&mut v, "cases_received", 10);
    int(&mut v, "cases_settled", 7);
    int(&mut v, "cases_not_settled", 3);
    int(&mut v, "cases_in_progress", 2);
    int(&mut v, "mediators", -1);
    let errs = validate(&c, f, &v);
    let msgs: Vec<&str> = errs.iter().map(|e| e.message_vi.as_str()).collect();
    assert!(msgs.contains(
        &"Tổng của «Số vụ việc hòa giải thành», «Số vụ việc hòa giải không thành», «Số vụ việc đang hòa giải» (12) không được lớn hơn «Số vụ việc tiếp nhận» (10)."
    ), "{msgs:?}");
    assert!(
        msgs.contains(&"Chỉ tiêu «Số hòa giải viên» không được là số âm."),
        "{msgs:?}"
    );
    // The rule's error is beside the parts that break it, not beside the total.
    let rule_keys: Vec<&str> = errs.iter().filter(|e| e.message_vi.starts_with("Tổng của")).map(|e| e.indicator.as_str()).collect();
    assert_eq!(rule_keys, ["cases_settled", "cases_not_settled", "cases_in_progress"]);

    // Fixed figures validate cleanly.
    int(&mut v, "cases_in_progress", 0);
    int(&mut v, "mediators", 12);
    int(&mut v, "mediators_female", 5);
    assert!(validate(&c, f, &v).is_empty(), "{:?}", validate(&c, f, &v));
}

#[test]
fn type_and_disaggregation_messages() {
    let c = cat();
    let f = c.form_for("HGCS", d(2026, 7, 1)).unwrap();
    let mut v = Values::new();
    v.set_total("teams", Value::Real(1.5));
    v.set_total("bogus", Value::Int(1));
    int(&mut v, "cases_received", 10);
    v.set(
        ValueKey::part("cases_received", "mediation_field", "land"),
        Value::Int(4),
    );
    v.set(
        ValueKey::part("cases_received", "mediation_field", "civil"),
        Value::Int(5),
    );
    v.set(
        ValueKey::part("cases_received", "mediation_field", "space"),
        Value::Int(1),
    );
    let msgs: Vec<String> = validate(&c, f, &v)
        .into_iter()
        .map(|e| e.message_vi)
        .collect();
    assert!(
        msgs.contains(&"Chỉ tiêu «Số tổ hòa giải» phải là số nguyên.".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"Chỉ tiêu «bogus» không có trong biểu mẫu.".to_string()),
        "{msgs:?}"
    );
    assert!(msgs.contains(
        &"Chỉ tiêu «Số vụ việc tiếp nhận» không có phân tổ «mediation_field:space».".to_string()
    ));
    assert!(msgs.contains(
        &"Tổng các phân tổ theo «Lĩnh vực hòa giải» của chỉ tiêu «Số vụ việc tiếp nhận» (9) phải bằng tổng số (10).".to_string()
    ), "{msgs:?}");

    // Non-exhaustive target groups: each member ≤ total.
    let p = c.form_for("PBGDPL", d(2026, 7, 1)).unwrap();
    let mut v = Values::new();
    int(&mut v, "direct_sessions", 3);
    v.set(
        ValueKey::part("direct_sessions", "target_group", "disabled"),
        Value::Int(2),
    );
    v.set(
        ValueKey::part("direct_sessions", "target_group", "enterprise_workers"),
        Value::Int(3),
    );
    assert!(validate(&c, p, &v).is_empty());
    v.set(
        ValueKey::part("direct_sessions", "target_group", "disabled"),
        Value::Int(4),
    );
    let msgs: Vec<String> = validate(&c, p, &v)
        .into_iter()
        .map(|e| e.message_vi)
        .collect();
    assert_eq!(
        msgs,
        [
            "Số liệu «Người khuyết tật» của chỉ tiêu «Số cuộc phổ biến pháp luật trực tiếp» (4) không được lớn hơn tổng số (3)."
        ]
    );
}

#[test]
fn percentage_over_hundred_and_rules_on_access_form() {
    let c = cat();
    let f = c.form_for("TCPL", d(2026, 12, 31)).unwrap();
    let mut v = Values::new();
    int(&mut v, "communes_total", 10);
    int(&mut v, "communes_assessed", 9);
    int(&mut v, "communes_recognised", 9);
    v.set_total("recognised_rate", Value::Real(120.0));
    let msgs: Vec<String> = validate(&c, f, &v)
        .into_iter()
        .map(|e| e.message_vi)
        .collect();
    assert_eq!(
        msgs,
        ["Tỷ lệ «Tỷ lệ xã đạt chuẩn tiếp cận pháp luật» không được lớn hơn 100%."]
    );
    let v = compute(f, &v);
    assert_eq!(v.real("recognised_rate"), Some(90.0));
    assert!(validate(&c, f, &v).is_empty());

    let mut v = Values::new();
    int(&mut v, "communes_total", 10);
    int(&mut v, "communes_assessed", 8);
    int(&mut v, "communes_recognised", 9);
    let msgs: Vec<String> = validate(&c, f, &v)
        .into_iter()
        .map(|e| e.message_vi)
        .collect();
    assert_eq!(
        msgs,
        [
            "«Số xã được công nhận đạt chuẩn tiếp cận pháp luật» (9) không được lớn hơn «Số xã được đánh giá» (8)."
        ]
    );
}

#[test]
fn compute_fills_sums_and_ratios() {
    let c = cat();
    let f = c.form_for("PBGDPL", d(2026, 3, 1)).unwrap();
    let mut v = Values::new();
    int(&mut v, "budget_state_regular", 1_000_000);
    int(&mut v, "budget_other", 250_000);
    int(&mut v, "direct_sessions", 4);
    int(&mut v, "direct_attendance", 410);
    let v = compute(f, &v);
    assert_eq!(v.int("budget_total"), 1_250_000);
    assert_eq!(v.real("attendance_per_session"), Some(102.5));

    // Denominator 0 → ratio absent, not a division by zero.
    let m = c.form_for("HGCS", d(2026, 3, 1)).unwrap();
    let v = compute(m, &Values::new());
    assert_eq!(v.total("settled_rate"), None);
    assert_eq!(v.int("cases_closed"), 0);
}

#[test]
fn aggregate_recomputes_percentages_and_drops_text() {
    let c = cat();
    let f = c.form_for("HGCS", d(2026, 3, 1)).unwrap();
    let mut a = Values::new();
    int(&mut a, "cases_received", 10);
    int(&mut a, "cases_settled", 9);
    a.set(
        ValueKey::part("cases_received", "mediation_field", "land"),
        Value::Int(10),
    );
    let mut b = Values::new();
    int(&mut b, "cases_received", 90);
    int(&mut b, "cases_settled", 45);
    b.set(
        ValueKey::part("cases_received", "mediation_field", "land"),
        Value::Int(30),
    );
    let (a, b) = (compute(f, &a), compute(f, &b));
    assert_eq!(a.real("settled_rate"), Some(90.0));
    assert_eq!(b.real("settled_rate"), Some(50.0));
    let p = aggregate(f, &[&a, &b]);
    assert_eq!(p.int("cases_received"), 100);
    assert_eq!(p.int("cases_settled"), 54);
    // 54 %, not the average 70 %.
    assert_eq!(p.real("settled_rate"), Some(54.0));
    assert_eq!(
        p.get(&ValueKey::part("cases_received", "mediation_field", "land")),
        Some(&Value::Int(40))
    );

    let pf = c.form_for("PBGDPL", d(2026, 3, 1)).unwrap();
    let mut t = Values::new();
    t.set_total("notes", Value::Text("ghi chú".into()));
    int(&mut t, "budget_other", 5);
    let p = aggregate(pf, &[&t, &t]);
    assert_eq!(p.total("notes"), None);
    assert_eq!(p.int("budget_total"), 10);
}

#[test]
fn aggregate_approved_ignores_unapproved() {
    let c = cat();
    let f = c.form_for("HGCS", d(2026, 3, 1)).unwrap();
    let mut a = Values::new();
    int(&mut a, "teams", 2);
    let mut b = Values::new();
    int(&mut b, "teams", 5);
    let p = aggregate_approved(
        f,
        &[
            (ReportState::Approved, &a),
            (ReportState::Submitted, &b),
            (ReportState::Returned, &b),
            (ReportState::Draft, &b),
            (ReportState::Approved, &a),
        ],
    );
    assert_eq!(p.int("teams"), 4);
}

#[test]
fn values_round_trip_json() {
    let mut v = Values::new();
    int(&mut v, "teams", 3);
    v.set(
        ValueKey::part("cases_received", "mediation_field", "land"),
        Value::Int(2),
    );
    v.set_total("settled_rate", Value::Real(50.5));
    v.set_total("notes", Value::Text("x".into()));
    let json = serde_json::to_string(&v).unwrap();
    let back: Values = serde_json::from_str(&json).unwrap();
    assert_eq!(back, v);
}

#[test]
fn report_state_transitions() {
    use ReportEvent::*;
    use ReportState::*;
    assert_eq!(Draft.apply(Submit), Ok(Submitted));
    assert_eq!(Submitted.apply(Approve), Ok(Approved));
    assert_eq!(Submitted.apply(Return), Ok(Returned));
    assert_eq!(Returned.apply(Submit), Ok(Submitted));
    assert_eq!(Approved.apply(Return), Ok(Returned));
    for (s, e) in [
        (Draft, Approve),
        (Draft, Return),
        (Approved, Submit),
        (Approved, Approve),
        (Returned, Approve),
        (Returned, Return),
        (Submitted, Submit),
    ] {
        let err = s.apply(e).unwrap_err();
        assert_eq!(
            err.message_vi(),
            "Không thể thực hiện thao tác này ở trạng thái hiện tại của báo cáo."
        );
    }
    assert!(Draft.editable() && Returned.editable() && !Submitted.editable());
    assert!(Approved.counts() && !Submitted.counts());
}
