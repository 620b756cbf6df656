//! A progress bar on stderr for long imports and exports. Hidden for short jobs and when stderr is
//! not a terminal (scripts and tests see no bar).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Jobs with fewer rows finish before a bar would help.
const THRESHOLD: usize = 2000;

/// A callback for `rows_with` / `import_with` that draws a bar once the total is known to be large.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub fn new() -> Bar {
        Bar { bar: None }
    }

    pub fn tick(&mut self, done: usize, total: usize) {
        if total < THRESHOLD {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            b.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {eta}").unwrap_or_else(|_| ProgressStyle::default_bar()));
            b
        });
        bar.set_position(done as u64 + 1);
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_jobs_get_no_bar_and_long_ones_count_up() {
        let mut small = Bar::new();
        small.tick(0, 10);
        assert!(small.bar.is_none());
        let mut big = Bar::new();
        for i in 0..2500 {
            big.tick(i, 2500);
        }
        let b = big.bar.as_ref().unwrap();
        assert_eq!((b.position(), b.length()), (2500, Some(2500)));
        big.finish();
    }
}
