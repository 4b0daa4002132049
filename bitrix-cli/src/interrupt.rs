//! Ctrl-C as an event a command can wait for, so that it stops between pages and leaves its
//! output whole instead of dying mid-write.

/// Listens for Ctrl-C (SIGINT) from the moment it is made.
pub struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupt {
    /// Starts listening. On Unix the handler is installed here, before any work starts, so a
    /// Ctrl-C that comes early is not lost (nor kills the process half-way through a write).
    pub fn listen() -> std::io::Result<Interrupt> {
        #[cfg(unix)]
        {
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
            Ok(Interrupt { signal })
        }
        #[cfg(not(unix))]
        {
            Ok(Interrupt {})
        }
    }

    /// Returns when Ctrl-C is pressed.
    pub async fn wait(&mut self) {
        #[cfg(unix)]
        {
            self.signal.recv().await;
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
