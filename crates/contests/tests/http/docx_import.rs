//! The Word (DOCX) question import over HTTP with a file as organisers make it in Word: the
//! questions and options numbered by Word's automatic lists (no "Câu 1:" or "A." in the text)
//! and the correct options in bold, underlined or red instead of an "Đáp án" line.

use contests::{msg, store};
use docx_rs::{AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Run, Start};
use reqwest::StatusCode;

use crate::helpers::{SETUP, TestApp, demo_contest};

fn list(id: usize, format: &str, text: &str) -> AbstractNumbering {
    AbstractNumbering::new(id).add_level(Level::new(0, Start::new(1), NumberFormat::new(format), LevelText::new(text), LevelJc::new("left")))
}

fn plain(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn numbered(num: usize, run: Run) -> Paragraph {
    Paragraph::new().numbering(NumberingId::new(num), IndentLevel::new(0)).add_run(run)
}

/// The bank as Word writes it, and the paragraph of its last "Đáp án" line. Questions are list
/// 20 ("Câu %1:"); each question's options are a num of their own on one upper-letter
/// definition, restarted at A by a start override (as Word's "Restart at A" writes it). The
/// third question's answer line says `third_answer` while its option C is in bold.
fn bank_file(third_answer: &str) -> (Vec<u8>, usize) {
    let mut d = Docx::new()
        .add_abstract_numbering(list(10, "decimal", "Câu %1:"))
        .add_abstract_numbering(list(11, "upperLetter", "%1."))
        .add_numbering(Numbering::new(20, 10));
    for n in 21..=23 {
        d = d.add_numbering(Numbering::new(n, 11).add_override(LevelOverride::new(0).start(1)));
    }
    let lines: Vec<Paragraph> = vec![
        plain("NGÂN HÀNG CÂU HỎI"),
        plain("CHỦ ĐỀ: Tiếp cận thông tin"),
        numbered(20, Run::new().add_text("Luật Tiếp cận thông tin có hiệu lực từ ngày nào?")),
        numbered(21, Run::new().add_text("Ngày 01/01/2017")),
        // The correct option's text in bold, its letter (the label) not.
        numbered(21, Run::new().add_text("Ngày 01/07/2018").bold()),
        numbered(21, Run::new().add_text("Ngày 01/07/2016")),
        plain("Căn cứ: Điều 37 Luật Tiếp cận thông tin"),
        numbered(20, Run::new().add_text("Công dân yêu cầu cung cấp thông tin có phải nộp phí không?")),
        numbered(22, Run::new().add_text("Không phải trả bất kỳ chi phí nào")),
        numbered(22, Run::new().add_text("Trả phí theo quy định của Bộ Tài chính")),
        numbered(22, Run::new().add_text("Trả chi phí thực tế để in, sao, chụp, gửi thông tin").underline("single")),
        plain("Mức độ: Khó"),
        numbered(20, Run::new().add_text("Cơ quan nào cung cấp thông tin do cơ quan đó tạo ra?")),
        numbered(23, Run::new().add_text("Cơ quan cấp trên")),
        numbered(23, Run::new().add_text("Cơ quan lưu trữ")),
        numbered(23, Run::new().add_text("Chính cơ quan tạo ra thông tin").bold()),
        plain(&format!("Đáp án: {third_answer}")),
    ];
    let answer_paragraph = lines.len();
    for p in lines {
        d = d.add_paragraph(p);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut buf).unwrap();
    (buf.into_inner(), answer_paragraph)
}

#[tokio::test]
async fn a_word_file_with_automatic_numbering_and_bold_answers_imports() {
    let app = TestApp::spawn(&SETUP).await;
    let c = demo_contest(&app).await;
    let tinh = app.login_as("tinh").await;
    let url = format!("/cuoc-thi/quan-ly/{}/nhap-cau-hoi", c.id);
    let before = store::questions(&app.db, c.id).await.unwrap().len();

    // The answer line of Câu 3 says A while its option C is in bold: an error, nothing imported.
    let (bad, paragraph) = bank_file("A");
    let r = tinh.post_multipart(&url, &[], Some(("ngan-hang.docx", bad))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    let m = msg::docx_error(Some(3), paragraph, &msg::docx_format_conflict('A', 'C', msg::DOCX_BOLD));
    assert!(html.contains(&m), "{m}: {html}");
    assert_eq!(store::questions(&app.db, c.id).await.unwrap().len(), before);

    // Fixed: the answers come from the formatting (and the agreeing answer line).
    let (good, _) = bank_file("C");
    let r = tinh.post_multipart(&url, &[], Some(("ngan-hang.docx", good))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let all = store::questions(&app.db, c.id).await.unwrap();
    assert_eq!(all.len(), before + 3);
    let new = &all[before..];
    let got: Vec<(&str, i64, Vec<String>, &str, &str)> = new.iter().map(|q| (q.text.as_str(), q.correct, q.option_list(), q.topic.as_str(), q.difficulty.as_str())).collect();
    assert_eq!(got, vec![
        ("Luật Tiếp cận thông tin có hiệu lực từ ngày nào?", 1, vec!["Ngày 01/01/2017".to_string(), "Ngày 01/07/2018".into(), "Ngày 01/07/2016".into()], "Tiếp cận thông tin", "trung_binh"),
        ("Công dân yêu cầu cung cấp thông tin có phải nộp phí không?", 2, vec!["Không phải trả bất kỳ chi phí nào".to_string(), "Trả phí theo quy định của Bộ Tài chính".into(), "Trả chi phí thực tế để in, sao, chụp, gửi thông tin".into()], "Tiếp cận thông tin", "kho"),
        ("Cơ quan nào cung cấp thông tin do cơ quan đó tạo ra?", 2, vec!["Cơ quan cấp trên".to_string(), "Cơ quan lưu trữ".into(), "Chính cơ quan tạo ra thông tin".into()], "Tiếp cận thông tin", "trung_binh"),
    ]);
    assert_eq!(new[0].source, "Điều 37 Luật Tiếp cận thông tin");
}
