//! A throwaway PostgreSQL for tests: `BITRIX_APP_PG_URL` when set (a fresh database is created in
//! it per test), else a cluster of its own (initdb into a temp folder, pg_ctl on a free loopback
//! port, as the `postgres` user when the tests run as root). `None` (the test skips) when neither
//! is available.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A database for one test; a cluster started for it is stopped when dropped.
pub struct Postgres {
    pub url: String,
    cluster: Option<(PathBuf, PathBuf, Option<String>)>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some((bin, data, user)) = &self.cluster {
            let _ = as_user(user.as_deref(), bin.join("pg_ctl"))
                .args(["stop", "-m", "immediate", "-D"])
                .arg(data)
                .output();
        }
    }
}

fn as_user(user: Option<&str>, program: PathBuf) -> Command {
    match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn pg_bin() -> Option<PathBuf> {
    let in_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
    });
    in_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").is_file())
            .collect();
        found.sort();
        found.pop()
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(54329)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Waits until `url` accepts connections (bounded).
async fn ready(url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        sqlx::any::install_default_drivers();
        if sqlx::AnyPool::connect(url).await.is_ok() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// A fresh database named `name` in the server at `base` (a `postgres://…/postgres` URL).
async fn fresh_database(base: &str, name: &str) -> Option<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(base).await.ok()?;
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&pool)
        .await;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .ok()?;
    let (head, _) = base.rsplit_once('/')?;
    Some(format!("{head}/{name}"))
}

/// A database for the test `name`, or `None` with the reason printed (the test then skips).
pub async fn start(name: &str) -> Option<Postgres> {
    let pg = try_start(name).await;
    // CI starts a server and sets this: there a missing database is a failure, not a skip.
    if pg.is_none() && std::env::var_os("BITRIX_APP_REQUIRE_PG").is_some() {
        panic!("BITRIX_APP_REQUIRE_PG is set but no PostgreSQL could be used (reason above)");
    }
    pg
}

async fn try_start(name: &str) -> Option<Postgres> {
    if let Ok(base) = std::env::var("BITRIX_APP_PG_URL") {
        let url = fresh_database(&base, name).await;
        if url.is_none() {
            eprintln!("SKIPPED: BITRIX_APP_PG_URL is set but no database could be created in it");
        }
        return url.map(|url| Postgres {
            url,
            cluster: None,
            _dir: None,
        });
    }
    let Some(bin) = pg_bin() else {
        eprintln!("SKIPPED: PostgreSQL not found (no initdb; set BITRIX_APP_PG_URL or install postgresql)");
        return None;
    };
    let user = is_root().then(|| "postgres".to_string());
    let dir = tempfile::Builder::new()
        .prefix("bitrix-app-pg")
        .tempdir()
        .ok()?;
    let data = dir.path().join("data");
    let sock = dir.path().to_path_buf();
    if let Some(u) = &user {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777));
        let _ = Command::new("chown").arg(u).arg(dir.path()).status();
    }
    let init = as_user(user.as_deref(), bin.join("initdb"))
        .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
        .arg(&data)
        .output();
    if !matches!(&init, Ok(o) if o.status.success()) {
        eprintln!(
            "SKIPPED: initdb failed: {:?}",
            init.map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        );
        return None;
    }
    let port = free_port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        sock.display()
    );
    let log = dir.path().join("log");
    let started = as_user(user.as_deref(), bin.join("pg_ctl"))
        .args(["start", "-w", "-D"])
        .arg(&data)
        .arg("-l")
        .arg(&log)
        .args(["-o", &opts])
        .output();
    let pg = Postgres {
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        cluster: Some((bin, data, user)),
        _dir: Some(dir),
    };
    if !matches!(&started, Ok(o) if o.status.success()) || !ready(&pg.url).await {
        eprintln!("SKIPPED: PostgreSQL did not start ({})", read(&log));
        return None;
    }
    Some(pg)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .chars()
        .take(2000)
        .collect()
}
