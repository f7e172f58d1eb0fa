//! Standard output for the commands, and the one policy for a reader that leaves early.

use crate::error::Fatal;
use std::io::{self, Write};

/// Standard output for the commands: once the reader has gone (`| head -1`), the rest of the
/// output is dropped and the run ends with the exit code its findings give. Every write goes
/// through here, so no reporter (nor serde_json inside one) can turn a closed pipe into exit 2.
#[derive(Debug)]
pub struct Stdout<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Stdout<W> {
    pub fn new(inner: W) -> Stdout<W> {
        Stdout {
            inner,
            closed: false,
        }
    }

    fn absorb(&mut self, result: io::Result<()>) -> io::Result<()> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write_all(buf);
        self.absorb(result).map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result)
    }
}

/// A reader that stops early (`| head`) is not a failure of the run.
pub(crate) fn quiet_on_broken_pipe(result: io::Result<()>) -> Result<(), Fatal> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(write_error),
    }
}

/// Output that could not be written ends the run (exit 2).
pub fn write_error(e: io::Error) -> Fatal {
    Fatal::new(format!("cannot write the output: {e}"))
}
