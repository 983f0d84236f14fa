//! Demo data: the inbox of Lạng Sơn (10 working days), answered and published questions and
//! feedback of the demo communes (two citing bookshelf documents when the bookshelf is
//! composed), one pending item, one overdue item, one answered privately, and two policy
//! dialogues (one held, with its published answer; one coming, collecting questions). Names of
//! senders are invented; contact fields of demo items never appear on public pages either.

use chrono::{Duration, NaiveDate};
use kernel::Db;
use kernel::error::AppResult;
use kernel::registry::LegalDocRefs;

use crate::rules::code;
use crate::store::{self, NewDialogue, NewInquiry};

/// The demo without the bookshelf's documents.
pub async fn load(db: &Db) -> AppResult<()> {
    load_with(db, None).await
}

struct Demo {
    kind: &'static str,
    title: &'static str,
    body: &'static str,
    name: &'static str,
    email: &'static str,
    phone: &'static str,
    topic: &'static str,
    /// 0: the province, 1: xa1's commune, 2: xa2's commune.
    unit: usize,
    /// Days ago it was received (and routed the same day).
    days_ago: i64,
    answer: &'static str,
    public_body: &'static str,
    cites: &'static [&'static str],
    /// received, assigned, published or closed.
    end: &'static str,
    private: bool,
    dialogue: Option<usize>,
}

const ITEMS: &[Demo] = &[
    Demo {
        kind: "question", title: "Cấp giấy chứng nhận quyền sử dụng đất lần đầu cần giấy tờ gì?",
        body: "Gia đình tôi (Hoàng Văn Dũng, thôn Nà Tâm) sử dụng đất ở ổn định từ năm 1995, không có giấy tờ. Xin hỏi thủ tục cấp giấy chứng nhận lần đầu cần chuẩn bị những gì?",
        name: "Hoàng Văn Dũng", email: "dung.demo@example.invalid", phone: "0912345678", topic: "dat-dai", unit: 1, days_ago: 30,
        answer: "Theo Luật Đất đai năm 2024, hộ gia đình, cá nhân đang sử dụng đất ổn định, không có giấy tờ về quyền sử dụng đất, không vi phạm pháp luật về đất đai thì được xem xét cấp giấy chứng nhận.\nHồ sơ gồm đơn đăng ký đất đai, tài sản gắn liền với đất theo mẫu và giấy tờ chứng minh việc sử dụng đất ổn định. Ông/bà nộp hồ sơ tại bộ phận một cửa của Ủy ban nhân dân xã.",
        public_body: "Gia đình tôi sử dụng đất ở ổn định từ năm 1995, không có giấy tờ. Xin hỏi thủ tục cấp giấy chứng nhận lần đầu cần chuẩn bị những gì?",
        cites: &["31/2024/QH15"], end: "published", private: false, dialogue: None,
    },
    Demo {
        kind: "question", title: "Hòa giải tranh chấp lối đi chung giữa hai gia đình",
        body: "Nhà tôi và nhà hàng xóm tranh chấp lối đi chung. Tổ hòa giải ở thôn có giải quyết được không, có mất phí không?",
        name: "", email: "", phone: "", topic: "dan-su", unit: 2, days_ago: 25,
        answer: "Tranh chấp lối đi chung giữa các gia đình thuộc phạm vi hòa giải ở cơ sở. Ông/bà có thể đề nghị tổ hòa giải ở thôn hòa giải; hoạt động hòa giải ở cơ sở không thu phí.",
        public_body: "Nhà tôi và nhà hàng xóm tranh chấp lối đi chung. Tổ hòa giải ở thôn có giải quyết được không, có mất phí không?",
        cites: &["35/2013/QH13"], end: "published", private: false, dialogue: None,
    },
    Demo {
        kind: "feedback", title: "Kiến nghị tổ chức tuyên truyền pháp luật bằng tiếng Tày, tiếng Nùng",
        body: "Nhiều người cao tuổi ở bản không đọc được tiếng Việt. Kiến nghị xã tổ chức tuyên truyền pháp luật bằng tiếng dân tộc.",
        name: "Lương Thị Mai", email: "", phone: "0987654321", topic: "khac", unit: 1, days_ago: 20,
        answer: "Ủy ban nhân dân xã tiếp thu kiến nghị; trong quý tới sẽ phối hợp với người có uy tín trong cộng đồng tổ chức tuyên truyền pháp luật bằng tiếng Tày, tiếng Nùng tại nhà văn hóa thôn.",
        public_body: "Nhiều người cao tuổi ở bản không đọc được tiếng Việt. Kiến nghị xã tổ chức tuyên truyền pháp luật bằng tiếng dân tộc.",
        cites: &[], end: "published", private: false, dialogue: None,
    },
    Demo {
        kind: "question", title: "Đăng ký kết hôn với người ở tỉnh khác",
        body: "Tôi muốn đăng ký kết hôn với người có hộ khẩu ở tỉnh khác, làm ở đâu?",
        name: "Nguyễn Văn Bình", email: "binh.demo@example.invalid", phone: "", topic: "hon-nhan", unit: 0, days_ago: 1,
        answer: "", public_body: "", cites: &[], end: "received", private: false, dialogue: None,
    },
    Demo {
        kind: "feedback", title: "Phản ánh đường liên thôn xuống cấp",
        body: "Đoạn đường liên thôn qua khu Bản Châu bị sạt lở, đi lại nguy hiểm, đề nghị sửa chữa.",
        name: "Chu Văn Thắng", email: "", phone: "0911222333", topic: "giao-thong", unit: 1, days_ago: 25,
        answer: "", public_body: "", cites: &[], end: "assigned", private: false, dialogue: None,
    },
    Demo {
        kind: "question", title: "Hỏi về chia thừa kế trong gia đình",
        body: "Bố tôi mất không để lại di chúc; mẹ và ba anh em chia thừa kế thế nào?",
        name: "Vy Thị Hạnh", email: "hanh.demo@example.invalid", phone: "", topic: "dan-su", unit: 2, days_ago: 15,
        answer: "Khi không có di chúc, di sản được chia theo pháp luật: mẹ và ba anh em là hàng thừa kế thứ nhất, mỗi người được hưởng phần bằng nhau.",
        public_body: "", cites: &[], end: "closed", private: true, dialogue: None,
    },
    Demo {
        kind: "question", title: "Hỗ trợ pháp lý miễn phí cho người dân tộc thiểu số",
        body: "Người dân tộc thiểu số ở xã đặc biệt khó khăn có được trợ giúp pháp lý miễn phí không?",
        name: "", email: "", phone: "", topic: "hanh-chinh", unit: 0, days_ago: 40,
        answer: "Người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn thuộc diện được trợ giúp pháp lý miễn phí; liên hệ Trung tâm Trợ giúp pháp lý nhà nước của tỉnh.",
        public_body: "Người dân tộc thiểu số ở xã đặc biệt khó khăn có được trợ giúp pháp lý miễn phí không?",
        cites: &[], end: "published", private: false, dialogue: Some(0),
    },
    Demo {
        kind: "question", title: "Chính sách hỗ trợ chuyển đổi nghề khi thu hồi đất",
        body: "Khi Nhà nước thu hồi đất nông nghiệp để làm khu công nghiệp, người dân được hỗ trợ đào tạo, chuyển đổi nghề thế nào?",
        name: "Hoàng Thị Lan", email: "", phone: "", topic: "dat-dai", unit: 0, days_ago: 2,
        answer: "", public_body: "", cites: &[], end: "received", private: false, dialogue: Some(1),
    },
];

/// The demo, with the bookshelf's documents cited through the port when it is composed.
pub async fn load_with(db: &Db, port: Option<LegalDocRefs>) -> AppResult<()> {
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, "20", today).await?;
    let xa1 = kernel::db::accounts::by_username(db, "xa1").await?;
    let xa2 = kernel::db::accounts::by_username(db, "xa2").await?;
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    let units = [(province.id, tinh.id), (xa1.unit_id, xa1.id), (xa2.unit_id, xa2.id)];
    let now = kernel::now();
    let mut tx = db.begin().await?;
    store::set_inbox(&mut tx, province.id, 10, now).await?;
    let held = store::insert_dialogue(&mut tx, &NewDialogue {
        unit_id: province.id, topic: "Chính sách trợ giúp pháp lý cho đồng bào dân tộc thiểu số", held_on: today - Duration::days(30),
        place: "Hội trường Sở Tư pháp tỉnh Lạng Sơn", description: "Đối thoại giữa lãnh đạo tỉnh và người dân về chính sách trợ giúp pháp lý miễn phí.", created_by: Some(tinh.id),
    }, now - Duration::days(45)).await?;
    let coming = store::insert_dialogue(&mut tx, &NewDialogue {
        unit_id: province.id, topic: "Chính sách bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất", held_on: today + Duration::days(14),
        place: "Nhà văn hóa trung tâm tỉnh Lạng Sơn",
        description: "Lãnh đạo tỉnh đối thoại với người dân về dự thảo quy định bồi thường, hỗ trợ, tái định cư.\nNgười dân gửi câu hỏi trước qua trang này.", created_by: Some(tinh.id),
    }, now).await?;
    let dialogues = [held, coming];
    tx.commit().await?;
    for (n, d) in ITEMS.iter().enumerate() {
        let at = now - Duration::days(d.days_ago);
        let day: NaiveDate = today - Duration::days(d.days_ago);
        let mut bytes = [0u8; code::LEN];
        for (k, b) in bytes.iter_mut().enumerate() {
            *b = ((n * 7 + k * 13 + 5) % 32) as u8;
        }
        let new = NewInquiry {
            code: code::from_bytes(bytes),
            kind: d.kind.into(),
            inbox_unit_id: province.id,
            commune_id: (d.unit > 0).then_some(units[d.unit].0),
            dialogue_id: d.dialogue.map(|i| dialogues[i]),
            topic_code: Some(d.topic.into()),
            title: d.title.into(),
            body: d.body.into(),
            name: d.name.into(),
            email: d.email.into(),
            phone: d.phone.into(),
            private: d.private,
        };
        let mut tx = db.begin().await?;
        let id = store::insert(&mut tx, &new, at).await?;
        if d.end != "received" {
            let (unit, officer) = units[d.unit];
            let due = crate::service::deadline(db, day, 10).await?;
            store::route(&mut tx, id, unit, None, Some(d.topic), due, at).await?;
            if !d.answer.is_empty() {
                store::save_answer(&mut tx, id, d.answer, officer, at + Duration::days(3)).await?;
                let mut docs = Vec::new();
                if let Some(port) = port {
                    let numbers: Vec<String> = d.cites.iter().map(|s| s.to_string()).collect();
                    docs = port(db, &[], &numbers).await?.into_iter().map(|r| r.id).collect();
                }
                store::set_citations(&mut tx, id, &docs).await?;
                let public = d.end == "published";
                let key = if public { text_vi::fold(&format!("{} {} {}", d.title, d.public_body, d.answer)) } else { String::new() };
                let title = if public { d.title } else { "" };
                store::publish(&mut tx, id, d.end, title, d.public_body, Some(d.topic), &key, tinh.id, at + Duration::days(4), None).await?;
            }
        }
        tx.commit().await?;
    }
    // The published answers go into the search feed.
    crate::service::feed_all(db).await?;
    Ok(())
}
