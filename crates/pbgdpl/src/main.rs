//! The `pbgdpl` command: serve, migrate, administer accounts, back up and restore, print config.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use kernel::db::Db;
use kernel::db::audit::{self, Actor, Entry};
use kernel::account::{Role, Username, check_password};
use server::config::{CliOverrides, Config};

#[derive(Parser)]
#[command(name = "pbgdpl", version, about = "Hệ thống thông tin PBGDPL, hòa giải ở cơ sở, chuẩn tiếp cận pháp luật")]
struct Cli {
    /// Configuration file (TOML). Default: $PBGDPL_CONFIG or ./pbgdpl.toml if present.
    #[arg(long, global = true)]
    config: Option<String>,
    /// Database URL (env PBGDPL_DATABASE_URL); default sqlite://data/pbgdpl.db.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (migrations run at start-up).
    Serve {
        /// Listen address (env PBGDPL_LISTEN); default 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
        /// Load the demo data (Lạng Sơn) into an empty database (env PBGDPL_DEMO=true).
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and load the shipped administrative units.
    Migrate,
    /// Account administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Take a consistent snapshot of the SQLite database, even while the server runs.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a SQLite snapshot (stop the server first).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Print the effective configuration with secrets redacted.
    Config,
    /// Print every page route (method, path, who may call it) as JSON, for the browser checks
    /// that walk the whole route table; needs no database.
    Routes,
    /// Read a plan document (.txt, .md, .docx) and show what would be imported.
    ImportPlan {
        /// The plan file.
        file: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Only parse and show; needs no database (uses the built-in agency catalogue).
        #[arg(long)]
        dry_run: bool,
        /// Code of the issuing unit (e.g. 20 for Lạng Sơn); needed to save the plan as a draft.
        #[arg(long)]
        unit: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account; the password is read from PBGDPL_NEW_PASSWORD or asked for.
    CreateUser(CreateUser),
    /// Set a new password for an account (it must be changed at next login unless --no-force-change).
    ResetPassword {
        username: String,
        #[arg(long)]
        no_force_change: bool,
    },
}

#[derive(Args)]
struct CreateUser {
    username: String,
    /// Full name.
    #[arg(long)]
    name: String,
    /// Role: system_admin, unit_admin, justice_officer, agency_focal, council_member, viewer.
    #[arg(long, default_value = "system_admin")]
    role: String,
    /// Code of the unit the account belongs to (e.g. 20 for Lạng Sơn, 05977 for a commune).
    #[arg(long)]
    unit: String,
    #[arg(long)]
    email: Option<String>,
    /// Do not force a password change at first login.
    #[arg(long)]
    no_force_change: bool,
}

/// The assembled page route table as JSON rows: `{method, path, access}`, where `access` is
/// `public`, `signed_in` or the name of the action the role needs.
fn route_table() -> Vec<serde_json::Value> {
    use kernel::routes::Access;
    server::routes::page_routes()
        .into_iter()
        .map(|(method, path, access)| {
            let access = match access {
                Access::Public => "public".to_string(),
                Access::SignedIn => "signed_in".to_string(),
                Access::Needs(a) => format!("{a:?}"),
            };
            serde_json::json!({ "method": method, "path": path, "access": access })
        })
        .collect()
}

fn init_tracing(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PBGDPL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let lead = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    return ExitCode::SUCCESS;
                }
                ErrorKind::MissingRequiredArgument => "Thiếu tham số bắt buộc.",
                ErrorKind::UnknownArgument => "Tham số không được hỗ trợ.",
                ErrorKind::InvalidSubcommand | ErrorKind::MissingSubcommand => "Lệnh không hợp lệ; xem pbgdpl --help.",
                ErrorKind::InvalidValue | ErrorKind::ValueValidation => "Giá trị tham số không hợp lệ.",
                _ => "Câu lệnh không hợp lệ; xem pbgdpl --help.",
            };
            eprintln!("Lỗi: {lead}\n{}", e.render());
            return ExitCode::from(2);
        }
    };
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn read_password(prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("PBGDPL_NEW_PASSWORD") {
        return Ok(p);
    }
    Ok(rpassword::prompt_password(prompt)?)
}

async fn open(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("không kết nối được cơ sở dữ liệu {}: {e}", kernel::db::redact_url(&config.database_url)))?;
    server::prepare_database(&db).await?;
    Ok(db)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::ImportPlan { file, json, dry_run: true, .. } = &cli.command {
        return import_plan(file, *json, true).map(|_| ());
    }
    let file = cli.config.clone().unwrap_or_else(server::config::default_file);
    if cli.config.is_some() && !std::path::Path::new(&file).exists() {
        anyhow::bail!("không tìm thấy tệp cấu hình {file}");
    }
    let mut overrides = CliOverrides { database_url: cli.database_url.clone(), ..Default::default() };
    if let Command::Routes = &cli.command {
        println!("{}", serde_json::to_string_pretty(&route_table())?);
        return Ok(());
    }
    if let Command::Serve { listen, demo } = &cli.command {
        overrides.listen = listen.clone();
        if *demo {
            overrides.demo = Some(true);
        }
    }
    let config = Config::load(&file, &overrides).map_err(|e| anyhow::anyhow!("cấu hình không hợp lệ: {e}"))?;
    init_tracing(&config.log_format);
    match cli.command {
        Command::ImportPlan { file, json, dry_run, unit } => {
            let bytes = import_plan(&file, json, dry_run)?;
            let Some(code) = unit else {
                anyhow::bail!("cần --unit MÃ_ĐƠN_VỊ (đơn vị ban hành) để lưu kế hoạch; dùng --dry-run để chỉ xem kết quả");
            };
            let db = open(&config).await?;
            let unit = match kernel::db::units::by_code(&db, code.trim(), kernel::page::today()).await {
                Ok(u) => u,
                Err(kernel::db::DbError::NotFound) => anyhow::bail!("không tìm thấy đơn vị có mã {code}"),
                Err(e) => return Err(e.into()),
            };
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match plans::service::import_document(&db, &kernel::db::audit::Actor::cli(), None, &unit, None, None, &name, bytes, &kernel::heavy::Heavy::unlimited()).await {
                Ok(id) => {
                    eprintln!("Đã lưu dự thảo kế hoạch (mã {id}) của {}; mở /ke-hoach/{id}/sua để soát xét và ban hành.", unit.name);
                    Ok(())
                }
                Err(plans::service::ImportFailure::Document(e)) => anyhow::bail!("{e}"),
                Err(plans::service::ImportFailure::Refused(m)) => anyhow::bail!("{m}"),
                Err(plans::service::ImportFailure::System(e)) => anyhow::bail!("không lưu được kế hoạch: {e}"),
            }
        }
        Command::Routes => Ok(()),
        Command::Config => {
            print!("{}", config.redacted_toml());
            Ok(())
        }
        Command::Migrate => {
            let db = open(&config).await?;
            let n = kernel::db::units::count(&db).await?;
            println!("Đã cập nhật cơ sở dữ liệu; có {} đơn vị hành chính.", text_vi::format_int(n));
            db.close().await;
            Ok(())
        }
        Command::Serve { .. } => {
            tracing::info!(config = %config.redacted_toml().replace('\n', "; "), "effective configuration");
            let db = open(&config).await?;
            if config.demo && server::demo::needed(&db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
                let password = match std::env::var("PBGDPL_DEMO_PASSWORD") {
                    Ok(p) if !p.is_empty() => p,
                    _ => {
                        let p = format!("Demo-{}", &kernel::db::new_token()[..10]);
                        println!("Mật khẩu của các tài khoản mẫu (admin, tinh, xa1, xa2, congan): {p}");
                        p
                    }
                };
                server::demo::load(&db, &password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                tracing::info!("demo data loaded");
            }
            server::run_server(config, db).await
        }
        Command::Admin { command } => admin(&config, command).await,
        Command::Backup { to } => {
            let db = open(&config).await?;
            kernel::db::backup::snapshot(&db, &to).await?;
            println!("Đã sao lưu vào {}", to.display());
            Ok(())
        }
        Command::Restore { from } => {
            let Some(path) = kernel::db::sqlite_path(&config.database_url) else {
                anyhow::bail!("restore chỉ dùng cho SQLite; với PostgreSQL hãy dùng pg_restore (xem README)");
            };
            kernel::db::backup::restore(&from, std::path::Path::new(&path)).await?;
            println!("Đã khôi phục {} từ {}", path, from.display());
            Ok(())
        }
    }
}

async fn admin(config: &Config, command: AdminCommand) -> anyhow::Result<()> {
    let db = open(config).await?;
    match command {
        AdminCommand::CreateUser(c) => {
            let username = Username::parse(&c.username).map_err(|m| anyhow::anyhow!(m))?;
            let role = Role::parse(&c.role).ok_or_else(|| anyhow::anyhow!(kernel::msg::ROLE_INVALID))?;
            let unit = kernel::db::units::by_code(&db, &c.unit, kernel::page::today())
                .await
                .map_err(|_| anyhow::anyhow!(kernel::msg::UNIT_NOT_FOUND))?;
            let email = kernel::account::parse_email(c.email.as_deref().unwrap_or("")).map_err(|m| anyhow::anyhow!(m))?;
            let name = text_vi::nfc(c.name.trim());
            if name.is_empty() {
                anyhow::bail!("{}", kernel::msg::REQUIRED);
            }
            let password = read_password("Mật khẩu: ")?;
            let problems = check_password(&password, username.as_str());
            if !problems.is_empty() {
                anyhow::bail!("{}", problems.join(" "));
            }
            let hash = kernel::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut tx = db.begin().await?;
            let id = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
                username: username.as_str().into(),
                full_name: name,
                email,
                password_hash: hash,
                role: role.as_str().into(),
                unit_id: unit.id,
                agency_id: None,
                must_change_password: !c.no_force_change,
            })
            .await
            .map_err(|e| match e {
                kernel::db::DbError::Conflict(_) => anyhow::anyhow!(kernel::msg::USERNAME_TAKEN),
                e => anyhow::anyhow!(e),
            })?;
            audit::record(&mut tx, &Actor::cli(), Entry {
                action: "create", entity: "account", entity_id: Some(id.to_string()), unit_id: Some(unit.id),
                summary: format!("Tạo tài khoản {} ({}) bằng dòng lệnh", username.as_str(), role.label()), before: None, after: None,
            }).await?;
            tx.commit().await?;
            println!("Đã tạo tài khoản {} ({}, {}).", username.as_str(), role.label(), unit.name);
        }
        AdminCommand::ResetPassword { username, no_force_change } => {
            let account = kernel::db::accounts::by_username(&db, &username.trim().to_lowercase())
                .await
                .map_err(|_| anyhow::anyhow!("không tìm thấy tài khoản {username}"))?;
            let password = read_password("Mật khẩu mới: ")?;
            let problems = check_password(&password, &account.username);
            if !problems.is_empty() {
                anyhow::bail!("{}", problems.join(" "));
            }
            let hash = kernel::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut tx = db.begin().await?;
            kernel::db::accounts::set_password(&mut tx, account.id, &hash, !no_force_change).await?;
            kernel::db::sessions::delete_for_account(&mut tx, account.id, None).await?;
            audit::record(&mut tx, &Actor::cli(), Entry {
                action: "set_temporary_password", entity: "account", entity_id: Some(account.id.to_string()), unit_id: Some(account.unit_id),
                summary: format!("Đặt lại mật khẩu {} bằng dòng lệnh", account.username), before: None, after: None,
            }).await?;
            tx.commit().await?;
            println!("Đã đặt mật khẩu mới cho {}.", account.username);
        }
    }
    db.close().await;
    Ok(())
}

/// `pbgdpl import-plan FILE [--json] [--dry-run] [--unit CODE]`: parse with the built-in agency
/// catalogue and print; returns the file's bytes so that the caller can save it as a draft.
fn import_plan(file: &std::path::Path, json: bool, _dry_run: bool) -> anyhow::Result<Vec<u8>> {
    use plans::rules::{Recurrence, parse_plan_bytes};
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("không đọc được tệp {}: {e}", file.display()))?;
    let matcher = kernel::agency::AgencyMatcher::builtin().map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let plan = parse_plan_bytes(&bytes, &name, &matcher).map_err(|e| anyhow::anyhow!("{e}"))?;
    use std::fmt::Write as _;
    let mut out = String::new();
    macro_rules! p {
        ($($t:tt)*) => {{
            let _ = writeln!(out, $($t)*);
        }};
    }
    if json {
        p!("{}", serde_json::to_string_pretty(&plan.summary_json())?);
    } else {
        let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".to_string());
        p!("Kế hoạch: {}", or_dash(&plan.title));
        p!("Số: {}   Cơ quan ban hành: {}", or_dash(&plan.number), or_dash(&plan.issuer));
        p!(
            "Địa điểm, ngày: {}, {}   Người ký: {}",
            or_dash(&plan.place),
            plan.date.map(text_vi::format_date).unwrap_or_else(|| "—".to_string()),
            or_dash(&plan.signer)
        );
        for i in &plan.implements {
            p!("Thực hiện: {i}");
        }
        p!("\n{} nhiệm vụ:", plan.tasks.len());
        for t in &plan.tasks {
            let title: String = t.title.chars().take(100).collect();
            p!("\n[{}] {}", t.path, title);
            p!("  Chủ trì: {}", if t.lead.is_empty() { "—".to_string() } else { t.lead.join("; ") });
            if !t.coordinating.is_empty() {
                p!("  Phối hợp: {}", t.coordinating.join("; "));
            }
            let meaning = match (t.deadline, t.recurrence) {
                (Some(d), _) => format!("hạn {}", text_vi::format_date(d)),
                (None, Some(Recurrence::Ongoing)) => "thường xuyên".to_string(),
                (None, Some(Recurrence::Annual)) => "hằng năm".to_string(),
                (None, Some(Recurrence::Quarterly)) => "hằng quý".to_string(),
                (None, Some(Recurrence::Monthly)) => "hằng tháng".to_string(),
                (None, Some(Recurrence::WhenInstructed)) => "khi có hướng dẫn, yêu cầu".to_string(),
                (None, None) => "không xác định".to_string(),
            };
            p!("  Thời gian: {} ({meaning})", or_dash(&t.timeframe));
            let unmatched = t.unmatched();
            if !unmatched.is_empty() {
                p!("  Chưa nhận diện được cơ quan: {}", unmatched.join("; "));
            }
        }
        if !plan.report_deadlines.is_empty() {
            p!("\nHạn báo cáo:");
            for r in &plan.report_deadlines {
                p!("  {}: {}", text_vi::format_date(r.date), r.text);
            }
        }
    }
    {
        use std::io::Write as _;
        // A closed pipe (`| head`) is not an error worth a panic.
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
    }
    Ok(bytes)
}
