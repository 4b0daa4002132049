//! What the `b24` tests share: an emulator on loopback serving from its own runtime, the real
//! binary run against it (in a pipe or on a pseudo-terminal), and bounded polling.

#![allow(dead_code)] // each test file uses a part

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use bitrix_mock::{Config, Emulator};
use serde_json::{json, Value};

/// The binary under test.
pub const B24: &str = env!("CARGO_BIN_EXE_b24");

/// How long any one wait may take before the test fails instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// An emulator serving on its own runtime's threads while the test thread runs `b24`.
pub struct Portal {
    /// The emulator (state, credentials, call log). Dropped before the runtime it serves on.
    pub emu: Emulator,
    _runtime: tokio::runtime::Runtime,
}

impl Portal {
    /// Starts an emulator with `config` on 127.0.0.1, port 0.
    pub fn start(config: Config) -> Portal {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let emu = runtime
            .block_on(Emulator::start(config))
            .expect("emulator starts");
        Portal {
            emu,
            _runtime: runtime,
        }
    }

    /// A default emulator (unlimited plan).
    pub fn new() -> Portal {
        Portal::start(Config::new())
    }

    /// `b24 ARGS` with this portal's webhook in the environment, unpaced (the emulator is
    /// unlimited).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(B24);
        cmd.env("BITRIX24_WEBHOOK_URL", self.emu.webhook_url())
            .arg("--plan")
            .arg("unlimited")
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `b24 ARGS` in pipes, waiting for it to end.
    pub fn run(&self, args: &[&str]) -> Output {
        let child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("b24 starts");
        wait_output(child)
    }

    /// Adds `n` deals (`crm.item.add`, entity type 2) through `b24 batch`, so the emulator's store
    /// has something to export; returns their IDs.
    pub fn seed_deals(&self, dir: &Path, n: usize) -> Vec<u64> {
        let commands: Vec<Value> = (1..=n)
            .map(|i| {
                json!({"key": format!("d{i}"), "method": "crm.item.add",
                       "params": {"entityTypeId": 2, "fields": {"title": format!("Deal {i}"), "opportunity": i * 10}}})
            })
            .collect();
        let file = dir.join("seed.json");
        std::fs::write(&file, serde_json::to_string(&commands).unwrap()).unwrap();
        let out = self.run(&["batch", file.to_str().unwrap()]);
        assert_success(&out);
        let answers: Value = serde_json::from_slice(&out.stdout).expect("batch prints JSON");
        (1..=n)
            .map(|i| {
                answers[format!("d{i}")]["item"]["id"]
                    .as_u64()
                    .expect("an id")
            })
            .collect()
    }
}

/// A fresh folder for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("b24-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits for a child (at most [`PATIENCE`]) and collects its output.
pub fn wait_output(mut child: Child) -> Output {
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    // Read both pipes while it runs, so a full pipe cannot block it.
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let status = wait_bounded(&mut child);
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Waits for a child to exit; kills it and fails the test after [`PATIENCE`].
pub fn wait_bounded(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("b24 did not finish within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Polls `condition` until it holds; fails the test after [`PATIENCE`].
pub fn poll(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Fails with the output when the command did not exit 0.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "b24 failed ({:?}):\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Sends SIGINT (Ctrl-C) to a child.
pub fn interrupt(child: &Child) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits");
    // SAFETY: kill(2) with a PID we spawned and still hold (not yet waited for).
    let rc = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(rc, 0, "kill failed");
}

/// Runs `cmd` with standard input, output and error on a new pseudo-terminal (so `b24` sees a
/// terminal); returns its exit status and everything it wrote to the terminal.
pub fn run_on_terminal(mut cmd: Command) -> (std::process::ExitStatus, String) {
    let (mut master, slave) = openpty();
    let stdio = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup"));
    cmd.stdin(stdio(&slave))
        .stdout(stdio(&slave))
        .stderr(stdio(&slave));
    let mut child = cmd.spawn().expect("b24 starts");
    // Only the child may hold the terminal now: its exit closes it, and reading ends.
    drop(slave);
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // Linux answers EIO once the last holder of the terminal is gone.
        while let Ok(n) = master.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&buf).into_owned()
    });
    let status = wait_bounded(&mut child);
    (status, reader.join().unwrap())
}

fn openpty() -> (std::fs::File, OwnedFd) {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    // A wide terminal, so that the progress line is not wrapped.
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 200,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to live locals; null name and termios are allowed.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    // SAFETY: openpty returned two open descriptors that nothing else owns.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}
