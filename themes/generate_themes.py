#!/usr/bin/env python3
"""Writes theme-1.qss ... theme-8.qss from the original socket_chat colour pairs.

Every colour a text is drawn on is derived here and checked against WCAG 2 contrast:
normal text >= 4.5:1 everywhere, icons and focus rings >= 3:1 (the script fails otherwise), so
each theme is readable; tst_theme_contrast checks the written stylesheets again. A theme is
light or dark (MODE); a dark one keeps its pair for the window's gradient and accents. The
second line of each stylesheet names the icon colours (on panes, on accent buttons, on the
header): the app tints its monochrome icons with them (ui/theme_manager).
Edit this script, not the .qss files; run it from this folder and commit both. PAIRS is the one
list of themes: the build reads each stylesheet's first line ("Chalkroom theme N: Name (") for
the names and the count, and the test themes_match_generator fails when a stylesheet is not
what this script writes."""
import sys

PAIRS = [
    ("Silver", "#bdc3c7", "#2c3e50", "light"),
    ("Dusk", "#e7e9bb", "#403b4a", "dark"),
    ("Sage", "#dbd5a4", "#649173", "light"),
    ("Rose", "#f29492", "#65606b", "light"),
    ("Ocean", "#ef8e38", "#108dc7", "dark"),
    ("Sunset", "#f8ad70", "#ef6b50", "light"),
    ("Candy", "#ec6ead", "#3494e6", "light"),
    ("Grape", "#59c173", "#5d26c1", "dark"),
]
WHITE, BLACK = "#ffffff", "#000000"
INK_ON_LIGHT, INK_ON_DARK = "#1b1f24", "#e8eaed"


def rgb(h):
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def hexc(c):
    return "#%02x%02x%02x" % tuple(max(0, min(255, round(v))) for v in c)


def mix(a, b, t):  # t = share of b
    ca, cb = rgb(a), rgb(b)
    return hexc([ca[i] * (1 - t) + cb[i] * t for i in range(3)])


def lum(h):
    def ch(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(v) for v in rgb(h))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darken_until(c, against, ratio):
    return shift_until(c, BLACK, against, ratio)


def lighten_until(c, against, ratio):
    return shift_until(c, WHITE, against, ratio)


def shift_until(c, towards, against, ratio):
    t = 0.0
    while contrast(mix(c, towards, t), against) < ratio:
        t += 0.02
        if t > 1:
            sys.exit(f"{c} cannot reach {ratio}:1 against {against}")
    return mix(c, towards, t)


def check(name, fg, bg, ratio=4.5):
    r = contrast(fg, bg)
    if r < ratio:
        sys.exit(f"{name}: contrast {r:.2f} < {ratio} ({fg} on {bg})")
    return r


def palette(light, dark, mode):
    """The theme's colours by role; light themes on the light colour, dark ones on the dark."""
    p = {}
    if mode == "light":
        ink = INK_ON_LIGHT
        p["base"] = mix(light, WHITE, 0.92)       # lists, inputs
        p["surface"] = mix(light, WHITE, 0.80)    # pane and dialog backgrounds
        p["tab"] = mix(light, WHITE, 0.45)        # unselected tabs
        p["tab_hover"] = mix(light, WHITE, 0.62)
        p["other"] = mix(light, WHITE, 0.55)      # other people's bubbles
        p["accent"] = darken_until(dark, p["other"], 4.6)  # buttons, selection, own bubbles
        p["gradient"] = (light, dark)
        p["border"] = mix(light, dark, 0.45)
        p["meta"] = darken_until(mix(ink, p["other"], 0.35), p["other"], 4.6)  # times, counts
    else:
        ink = INK_ON_DARK
        deep = mix(dark, BLACK, 0.55)
        p["base"] = mix(dark, "#101114", 0.86)
        p["surface"] = mix(dark, "#101114", 0.78)
        p["tab"] = mix(dark, "#101114", 0.62)
        p["tab_hover"] = mix(dark, "#101114", 0.52)
        p["other"] = mix(dark, "#101114", 0.66)
        # White text on it, and a 3:1 focus ring against the base: a mid-dark tone of the pair.
        p["accent"] = darken_until(mix(dark, light, 0.15), WHITE, 4.6)
        p["gradient"] = (mix(dark, BLACK, 0.35), mix(deep, light, 0.12))
        p["border"] = mix(dark, ink, 0.25)
        p["meta"] = lighten_until(mix(ink, p["other"], 0.45), p["other"], 4.6)
    p["ink"] = ink
    p["accent_hover"] = mix(p["accent"], WHITE, 0.12)
    if contrast(WHITE, p["accent_hover"]) < 4.5:
        p["accent_hover"] = mix(p["accent"], BLACK, 0.15)
    p["header"] = darken_until(mix(dark, BLACK, 0.25), WHITE, 7.0)
    p["header_end"] = darken_until(dark, WHITE, 5.6)
    p["header_muted"] = mix(WHITE, p["header_end"], 0.12)  # status text on the header
    p["disabled_bg"] = mix(p["surface"], ink, 0.12)
    towards = BLACK if mode == "light" else WHITE
    p["disabled_fg"] = shift_until(mix(ink, p["disabled_bg"], 0.4), towards, p["disabled_bg"], 4.5)
    p["unread"] = darken_until(mix(dark, "#c0392b", 0.5), WHITE, 4.6)
    # The focus ring and the checked swatch ring: 3:1 against what they surround.
    p["focus"] = p["accent"] if contrast(p["accent"], p["base"]) >= 3 else \
        shift_until(p["accent"], WHITE if mode == "dark" else BLACK, p["base"], 3.2)
    # Sender names on other people's bubbles: text, so 4.5:1.
    p["name"] = p["accent"] if contrast(p["accent"], p["other"]) >= 4.6 else \
        lighten_until(p["accent"], p["other"], 4.6)
    return p


def theme(index, name, light, dark, mode):
    p = palette(light, dark, mode)
    INK = p["ink"]
    base, surface, tab, tab_hover, other = p["base"], p["surface"], p["tab"], p["tab_hover"], p["other"]
    accent, accent_hover, border, meta = p["accent"], p["accent_hover"], p["border"], p["meta"]
    header, header_end, header_muted = p["header"], p["header_end"], p["header_muted"]
    disabled_bg, disabled_fg, unread, focus = p["disabled_bg"], p["disabled_fg"], p["unread"], p["focus"]
    grad_a, grad_b = p["gradient"]
    name_color = p["name"]
    for label, fg, bg in [
        ("ink/base", INK, base), ("ink/surface", INK, surface), ("ink/tab", INK, tab),
        ("ink/tab_hover", INK, tab_hover), ("ink/other", INK, other),
        ("white/accent", WHITE, accent), ("white/accent_hover", WHITE, accent_hover),
        ("white/header", WHITE, header),
        ("white/header_end", WHITE, header_end), ("muted/header_end", header_muted, header_end),
        ("name/other", name_color, other), ("meta/other", meta, other), ("meta/base", meta, base), ("meta/surface", meta, surface),
        ("disabled", disabled_fg, disabled_bg), ("white/unread", WHITE, unread),
    ]:
        check(f"theme {index} {label}", fg, bg)
    for label, fg, bg in [
        ("focus/base", focus, base), ("icon/base", INK, base), ("icon/surface", INK, surface),
        ("icon/accent", WHITE, accent), ("icon/header", WHITE, header_end),
    ]:
        check(f"theme {index} {label}", fg, bg, 3.0)
    return f"""/* Chalkroom theme {index}: {name} ({light} / {dark}). Generated by generate_themes.py. */
/* mode: {mode}; icons: pane {INK}, accent {WHITE}, header {WHITE} */
QMainWindow, #CentralWidget {{
    background: qlineargradient(x1:0, y1:0, x2:1, y2:1, stop:0 {grad_a}, stop:1 {grad_b});
}}
QWidget {{ color: {INK}; }}
QDialog, QMessageBox, QInputDialog, QColorDialog, QFileDialog {{ background: {surface}; }}
QLabel {{ color: {INK}; background: transparent; }}
QToolTip {{ color: {INK}; background: {base}; border: 1px solid {border}; padding: 3px; }}

#HeaderBar {{
    background: qlineargradient(x1:0, y1:0, x2:1, y2:0, stop:0 {header}, stop:1 {header_end});
    border-radius: 8px;
}}
#HeaderBar QLabel {{ color: {WHITE}; }}
#HeaderBar #StatusLabel {{ color: {header_muted}; }}
#HeaderBar #UserNameLabel {{ font-weight: bold; font-size: 11pt; padding: 2px 4px; border-radius: 4px; }}
#HeaderBar #UserNameLabel:hover {{ background: rgba(255, 255, 255, 40); }}
#HeaderBar QLineEdit {{ color: {INK}; background: {base}; }}
#HeaderBar QToolButton {{ background: transparent; border: none; border-radius: 4px; padding: 3px; color: {WHITE}; }}
#HeaderBar QToolButton:hover {{ background: rgba(255, 255, 255, 45); }}
#HeaderBar QSlider::groove:horizontal {{ height: 6px; background: rgba(255, 255, 255, 70); border-radius: 3px; }}
#HeaderBar QSlider::sub-page:horizontal {{ background: {WHITE}; border-radius: 3px; }}
#HeaderBar QSlider::handle:horizontal {{
    background: {light}; border: 2px solid {WHITE}; width: 14px; margin: -6px 0; border-radius: 9px;
}}

QMenuBar {{ background: {header}; color: {WHITE}; }}
QMenuBar::item {{ background: transparent; color: {WHITE}; padding: 4px 10px; }}
QMenuBar::item:selected {{ background: {header_end}; }}
QMenu {{ background: {base}; color: {INK}; border: 1px solid {border}; }}
QMenu::item {{ padding: 5px 24px 5px 20px; }}
QMenu::item:selected {{ background: {accent}; color: {WHITE}; }}
QMenu::item:disabled {{ color: {disabled_fg}; }}
QMenu::separator {{ height: 1px; background: {border}; margin: 4px 8px; }}

QSplitter::handle {{ background: transparent; }}
QTabWidget::pane {{ background: {surface}; border: 1px solid {border}; border-radius: 6px; top: -1px; }}
QTabBar::tab {{
    background: {tab}; color: {INK}; border: 1px solid {border}; border-bottom: none;
    padding: 6px 14px; margin-right: 2px; border-top-left-radius: 6px; border-top-right-radius: 6px;
}}
QTabBar::tab:hover {{ background: {tab_hover}; }}
QTabBar::tab:selected {{ background: {surface}; font-weight: bold; border-top: 3px solid {accent}; }}

QListView, QTableView, QTreeView, QPlainTextEdit, QTextEdit, QLineEdit, QSpinBox, QComboBox {{
    background: {base}; color: {INK}; border: 1px solid {border}; border-radius: 4px;
    selection-background-color: {accent}; selection-color: {WHITE};
    alternate-background-color: {surface};
}}
QLineEdit, QComboBox, QSpinBox {{ padding: 4px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QListView:focus, QTableView:focus {{ border: 1px solid {focus}; }}
QComboBox QAbstractItemView {{ background: {base}; color: {INK}; }}
QHeaderView::section {{ background: {tab}; color: {INK}; border: none; border-right: 1px solid {border}; padding: 4px 6px; }}
QTableView {{ gridline-color: {surface}; }}

QPushButton {{
    background: {accent}; color: {WHITE}; border: none; border-radius: 4px; padding: 6px 14px;
}}
QPushButton:hover {{ background: {accent_hover}; }}
QPushButton:pressed {{ background: {header}; }}
QPushButton:disabled {{ background: {disabled_bg}; color: {disabled_fg}; }}
QToolButton {{
    background: {base}; color: {INK}; border: 1px solid {border}; border-radius: 4px; padding: 4px 8px;
}}
QToolButton:hover {{ background: {tab_hover}; }}
QToolButton:checked {{ background: {tab}; }}
QToolButton:disabled {{ background: {disabled_bg}; color: {disabled_fg}; }}
QCheckBox, QRadioButton {{ color: {INK}; background: transparent; }}
QCheckBox::indicator {{ width: 13px; height: 13px; border: 1px solid {INK}; border-radius: 3px; background: {base}; }}
QCheckBox::indicator:checked {{ background: {accent}; border: 1px solid {INK}; image: none; }}

QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle {{ background: {border}; border-radius: 3px; min-height: 24px; min-width: 24px; }}
QScrollBar::handle:hover {{ background: {accent}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}

#TypingLabel, #HintLabel {{ color: {meta}; font-style: italic; }}
#ColorSwatchButton {{ border: 2px solid {surface}; border-radius: 14px; padding: 0; }}
#ColorSwatchButton:checked {{ border: 3px solid {INK}; }}
#MessageList {{
    qproperty-ownBubbleColor: {accent};
    qproperty-ownTextColor: {WHITE};
    qproperty-otherBubbleColor: {other};
    qproperty-otherTextColor: {INK};
    qproperty-metaColor: {meta};
    qproperty-accentColor: {name_color};
}}
#RoomList {{
    qproperty-badgeColor: {unread};
    qproperty-badgeTextColor: {WHITE};
    qproperty-metaColor: {meta};
}}
"""


for i, (name, light, dark, mode) in enumerate(PAIRS, start=1):
    with open(f"theme-{i}.qss", "w") as f:
        f.write(theme(i, name, light, dark, mode))
print("wrote", len(PAIRS), "themes")
