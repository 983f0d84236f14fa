//! Demo data: a draft resolution of the province open for comment, with a comment of a person
//! and one of an organisation.

use chrono::Duration;
use kernel::db::Db;
use kernel::error::AppResult;

use crate::rules;
use crate::store::{self, NewComment, NewDraft};

pub const TITLE: &str = "Dự thảo Nghị quyết quy định nội dung, mức chi bảo đảm cho công tác phổ biến, giáo dục pháp luật và chuẩn tiếp cận pháp luật của người dân tại cơ sở trên địa bàn tỉnh";

const TEXT: &str = "NGHỊ QUYẾT
Quy định nội dung, mức chi bảo đảm cho công tác phổ biến, giáo dục pháp luật và chuẩn tiếp cận pháp luật của người dân tại cơ sở trên địa bàn tỉnh
Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng
1. Nghị quyết này quy định nội dung, mức chi bảo đảm cho công tác phổ biến, giáo dục pháp luật và chuẩn tiếp cận pháp luật của người dân tại cơ sở trên địa bàn tỉnh.
2. Nghị quyết này áp dụng đối với cơ quan, tổ chức, cá nhân tham gia công tác phổ biến, giáo dục pháp luật và xây dựng, đánh giá chuẩn tiếp cận pháp luật trên địa bàn tỉnh.
Điều 2. Nội dung chi và mức chi
1. Chi biên soạn tài liệu phổ biến, giáo dục pháp luật theo mức quy định tại Phụ lục kèm theo Nghị quyết này.
2. Chi thù lao cho báo cáo viên, tuyên truyền viên pháp luật tham gia phổ biến pháp luật trực tiếp.
3. Chi tổ chức cuộc thi tìm hiểu pháp luật, bao gồm cuộc thi trực tuyến.
Điều 3. Nguồn kinh phí
Kinh phí thực hiện được bố trí trong dự toán ngân sách nhà nước hằng năm theo phân cấp ngân sách hiện hành.
Điều 4. Tổ chức thực hiện
1. Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.
2. Thường trực Hội đồng nhân dân tỉnh, các Ban và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết.";

/// Loads the demo draft (once), published for comment from ten days ago for a month.
pub async fn load(db: &Db) -> AppResult<()> {
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    if !store::drafts_in(db, "%").await?.is_empty() {
        return Ok(());
    }
    let day = kernel::page::today();
    let at = kernel::now() - Duration::days(10);
    let parts = rules::parse(TEXT);
    let mut tx = db.begin().await?;
    let new = NewDraft {
        unit_id: tinh.unit_id,
        title: TITLE,
        drafting_body: "Sở Tư pháp",
        summary: "Dự thảo nhằm bảo đảm kinh phí cho công tác phổ biến, giáo dục pháp luật ở cơ sở. Mời người dân, cơ quan, tổ chức góp ý theo từng điều, khoản.",
        opens_on: day - Duration::days(10),
        closes_on: day + Duration::days(20),
        created_by: tinh.id,
        file_id: None,
    };
    let id = store::insert_draft(&mut tx, &new, at).await?;
    store::insert_parts(&mut tx, id, &parts).await?;
    store::publish(&mut tx, id, at).await?;
    store::feed_item(&mut tx, id).await?;
    tx.commit().await?;
    let rows = store::parts(db, id).await?;
    let clause = rows.iter().find(|p| p.label == "Khoản 2 Điều 2").map(|p| p.id);
    let mut tx = db.begin().await?;
    store::insert_comment(&mut tx, &NewComment { draft_id: id, part_id: clause, author_kind: "person", author_name: "Hoàng Văn Thái", email: "", body: "Đề nghị quy định rõ mức thù lao cho tuyên truyền viên pháp luật ở thôn, bản vùng sâu, vùng xa.", channel: "web", entered_by: None }, at + Duration::days(2)).await?;
    store::insert_comment(&mut tx, &NewComment { draft_id: id, part_id: None, author_kind: "organisation", author_name: "Hội Luật gia tỉnh", email: "", body: "Thống nhất với sự cần thiết ban hành Nghị quyết.", channel: "paper", entered_by: Some(tinh.id) }, at + Duration::days(3)).await?;
    tx.commit().await?;
    Ok(())
}
