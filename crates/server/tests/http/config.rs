use server::config::{CliOverrides, Config};

/// Defaults < TOML file < PBGDPL_* environment < command-line flags.
#[test]
fn configuration_sources_in_order_of_precedence() {
    figment::Jail::expect_with(|jail| {
        let c = Config::load("missing.toml", &CliOverrides::default()).unwrap();
        assert_eq!(c.database_url, "sqlite://data/pbgdpl.db");
        assert_eq!(c.listen, "127.0.0.1:8080");

        jail.create_file("pbgdpl.toml", r#"
            listen = "0.0.0.0:9000"
            database_url = "sqlite://file.db"
            [login]
            max_failures = 7
            [mail]
            smtp_url = "smtp://user:secret@mail.example:587"
        "#)?;
        let c = Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap();
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.login.max_failures, 7);
        assert_eq!(c.login.lockout_minutes, 15);

        jail.set_env("PBGDPL_LISTEN", "127.0.0.1:7000");
        jail.set_env("PBGDPL_LOGIN__MAX_FAILURES", "3");
        let c = Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap();
        assert_eq!(c.listen, "127.0.0.1:7000");
        assert_eq!(c.login.max_failures, 3);
        assert_eq!(c.database_url, "sqlite://file.db");
        // The surveys' abuse limits are settings too, defaulting to the shipped values.
        assert_eq!(c.surveys, server::config::SurveysConfig::default());
        assert_eq!((c.surveys.answers_per_address, c.surveys.answers_per_device), (60, 10));
        jail.set_env("PBGDPL_SURVEYS__ANSWERS_PER_ADDRESS", "200");
        let c = Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap();
        assert_eq!((c.surveys.answers_per_address, c.surveys.window_minutes), (200, 60));
        // Values the counting cannot honour are refused with a message naming the setting.
        jail.set_env("PBGDPL_SURVEYS__CHALLENGE_MINUTES", "2000");
        let e = Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap_err();
        assert!(e.to_string().contains("challenge_minutes"), "{e}");
        jail.set_env("PBGDPL_SURVEYS__CHALLENGE_MINUTES", "120");
        jail.set_env("PBGDPL_SURVEYS__ANSWERS_PER_DEVICE", "0");
        assert!(Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap_err().to_string().contains("answers_per_device"));
        jail.set_env("PBGDPL_SURVEYS__ANSWERS_PER_DEVICE", "10");

        let cli = CliOverrides { listen: Some("127.0.0.1:6000".into()), database_url: Some("postgres://u:pw@h/db".into()), demo: Some(true) };
        let c = Config::load("pbgdpl.toml", &cli).unwrap();
        assert_eq!(c.listen, "127.0.0.1:6000");
        assert!(c.demo);
        let shown = c.redacted_toml();
        assert!(shown.contains("postgres://u:***@h/db"));
        assert!(!shown.contains("secret"));
        assert!(!shown.contains(":pw@"));

        jail.set_env("PBGDPL_LOGIN__MAX_FAILURES", "nhiều");
        assert!(Config::load("pbgdpl.toml", &CliOverrides::default()).is_err());
        Ok(())
    });
}

/// The SMS gateway's settings: defaults that send nothing, the TOML file and the environment
/// (the credentials), checks that name the setting, and secrets hidden when printed.
#[test]
fn sms_gateway_settings() {
    figment::Jail::expect_with(|jail| {
        let c = Config::load("missing.toml", &CliOverrides::default()).unwrap();
        assert!(!c.sms.enabled());
        assert_eq!((c.sms.method.as_str(), c.sms.content_type.as_str(), c.sms.phone_format.as_str()), ("POST", "application/json", "local"));

        jail.create_file("pbgdpl.toml", r#"
            [sms]
            gateway_url = "https://sms.example.vn/api/send?ApiKey=khoa-trong-url"
            phone_format = "e164"
            body = '{"Phone":"{to}","Content":"{text}","SecretKey":"khoa-trong-body"}'
            success_contains = '"CodeResult":"100"'
        "#)?;
        jail.set_env("PBGDPL_SMS__AUTH_HEADER", "Basic c2VjcmV0Og==");
        let c = Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap();
        assert!(c.sms.enabled());
        assert_eq!(c.sms.phone_format, "e164");
        assert_eq!(c.sms.auth_header, "Basic c2VjcmV0Og==");
        assert_eq!(c.sms.timeout_secs, 10);
        let shown = c.redacted_toml();
        for secret in ["khoa-trong-url", "khoa-trong-body", "c2VjcmV0Og"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("https://sms.example.vn/api/send?***"), "{shown}");

        for (key, bad, good, named) in [
            ("PBGDPL_SMS__PHONE_FORMAT", "quoc-te", "e164", "phone_format"),
            ("PBGDPL_SMS__METHOD", "DELETE", "POST", "method"),
            ("PBGDPL_SMS__TIMEOUT_SECS", "0", "10", "timeout_secs"),
            ("PBGDPL_SMS__BODY", "{\"to\":\"{to}\"}", "{\"to\":\"{to}\",\"text\":\"{text}\"}", "{text}"),
            ("PBGDPL_SMS__AUTH_HEADER", "Bearer a\nX-Injected: 1", "Bearer b", "auth_header"),
            ("PBGDPL_SMS__GATEWAY_URL", "ftp://sms.example.vn/{to}", "https://sms.example.vn", "gateway_url"),
        ] {
            jail.set_env(key, bad);
            let e = Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap_err();
            assert!(e.to_string().contains(named), "{key}: {e}");
            jail.set_env(key, good);
            assert!(Config::load("pbgdpl.toml", &CliOverrides::default()).is_ok(), "{key}");
        }
        // Without a gateway nothing is checked: SMS stay in the outbox.
        jail.set_env("PBGDPL_SMS__GATEWAY_URL", "");
        jail.set_env("PBGDPL_SMS__METHOD", "DELETE");
        assert!(!Config::load("pbgdpl.toml", &CliOverrides::default()).unwrap().sms.enabled());
        Ok(())
    });
}
