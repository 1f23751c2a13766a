//! Styles. Every status also has a symbol or word, so nothing is told by colour alone; in mono
//! (NO_COLOR or `theme = "mono"`) no cell carries a colour, only bold, reverse and underline.

use ratatui::style::{Color, Modifier, Style};

use crate::check::registry::Severity;
use crate::plan::marking::Level;

/// The palette in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// No colours at all.
    pub mono: bool,
}

impl Theme {
    fn color(self, style: Style) -> Style {
        if self.mono {
            Style {
                fg: None,
                bg: None,
                underline_color: None,
                ..style
            }
        } else {
            style
        }
    }

    /// The classification banner for a level (`None`: unreadable banner).
    pub fn banner(self, level: Option<Level>) -> Style {
        let bg = match level {
            Some(Level::U) => Color::Green,
            Some(Level::Cui) => Color::Rgb(0x6a, 0x1b, 0x9a),
            Some(Level::C) => Color::Blue,
            Some(Level::S) => Color::Red,
            Some(Level::Ts) => Color::Rgb(0xff, 0x8c, 0x00),
            None => Color::Gray,
        };
        let fg = match level {
            Some(Level::U) | Some(Level::Ts) | None => Color::Black,
            _ => Color::White,
        };
        let base = Style::default().add_modifier(Modifier::BOLD);
        if self.mono {
            base.add_modifier(Modifier::REVERSED)
        } else {
            base.fg(fg).bg(bg)
        }
    }

    /// Text of a severity.
    pub fn severity(self, severity: Severity) -> Style {
        let c = match severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Info => Color::Cyan,
        };
        self.color(
            Style::default()
                .fg(c)
                .add_modifier(if severity == Severity::Error {
                    Modifier::BOLD
                } else {
                    Modifier::empty()
                }),
        )
    }

    /// The selected row of the focused list.
    pub fn selected(self) -> Style {
        self.color(Style::default().add_modifier(Modifier::REVERSED))
    }

    /// The selected row of a list without the focus.
    pub fn selected_unfocused(self) -> Style {
        self.color(Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED))
    }

    /// Borders and titles of the focused pane.
    pub fn focused(self) -> Style {
        self.color(
            Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        )
    }

    /// Quiet text: hints, absent values.
    pub fn dim(self) -> Style {
        self.color(Style::default().fg(Color::DarkGray))
    }

    /// Emphasis.
    pub fn bold(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// Good news (clean sections).
    pub fn ok(self) -> Style {
        self.color(Style::default().fg(Color::Green))
    }

    /// A gap: an empty matrix cell, an uncovered priority.
    pub fn gap(self) -> Style {
        self.color(
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        )
    }
}

/// The symbol of a severity, so that status never depends on colour.
pub fn symbol(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✗",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}
