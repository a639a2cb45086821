#include "header_bar.h"

#include "elided_label.h"
#include "protocol/limits.h"
#include "theme_manager.h"
#include "themed_icon.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSlider>
#include <QStackedWidget>
#include <QToolButton>
#include <algorithm>

namespace chalk::ui {

HeaderBar::HeaderBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("HeaderBar"));
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(10, 6, 10, 6);
    row->setSpacing(10);

    m_name = new ElidedLabel(this);
    m_name->setObjectName(QStringLiteral("UserNameLabel"));
    m_name->setClickable(true);
    m_name->setAccessibleName(tr("Your name (click to change)"));
    m_name->setHint(tr("Click to change your name"));
    m_nameEditButton = new QToolButton(this);
    m_nameEditButton->setObjectName(QStringLiteral("UserNameEditButton"));
    m_nameEditButton->setIcon(
        themes::icon(QStringLiteral(":/icons/room-rename.png"), themes::IconPlace::Header));
    m_nameEditButton->setIconSize(QSize(16, 16));
    m_nameEditButton->setAutoRaise(true);
    m_nameEditButton->setToolTip(tr("Change your name"));
    m_nameEditButton->setAccessibleName(tr("Change your name"));
    connect(m_nameEditButton, &QToolButton::clicked, this, [this] { beginNameEdit(); });
    m_nameEdit = new QLineEdit(this);
    m_nameEdit->setObjectName(QStringLiteral("UserNameEdit"));
    m_nameEdit->setMaxLength(protocol::Limits{}.userName);
    m_nameEdit->setPlaceholderText(tr("Your name"));
    m_nameEdit->installEventFilter(this);
    m_nameStack = new QStackedWidget(this);
    m_nameStack->addWidget(m_name);
    m_nameStack->addWidget(m_nameEdit);
    m_nameStack->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_nameStack->setMinimumWidth(120);
    m_nameStack->setMaximumWidth(360);
    connect(m_name, &ElidedLabel::clicked, this, &HeaderBar::beginNameEdit);
    connect(m_nameEdit, &QLineEdit::returnPressed, this, &HeaderBar::commitNameEdit);
    connect(m_nameEdit, &QLineEdit::editingFinished, this, [this] {
        // Focus left the editor without Enter: keep what was typed only on Enter.
        if (m_nameStack->currentWidget() == m_nameEdit && !m_nameEdit->hasFocus())
            cancelNameEdit();
    });

    m_dot = new QLabel(this);
    m_dot->setTextFormat(Qt::PlainText);
    m_dot->setFixedSize(10, 10);
    m_status = new ElidedLabel(this);
    m_status->setObjectName(QStringLiteral("StatusLabel"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // The end says what happens next (", retrying in 4 s"): when the text is too long, the
    // address and reason before it are cut (the tooltip shows them whole), never the end.
    m_status->setTailSeparator(QStringLiteral(", "));

    m_reconnect = new QToolButton(this);
    m_reconnect->setObjectName(QStringLiteral("ReconnectNowButton"));
    m_reconnect->setText(tr("Reconnect now"));
    m_reconnect->setToolTip(tr("Try to reach the server now instead of waiting"));
    m_reconnect->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_reconnect->hide();
    connect(m_reconnect, &QToolButton::clicked, this, &HeaderBar::reconnectRequested);

    m_mute = new QToolButton(this);
    m_mute->setObjectName(QStringLiteral("MuteButton"));
    m_mute->setCheckable(true);
    m_mute->setIconSize(QSize(20, 20));
    m_mute->setAutoRaise(true);
    connect(m_mute, &QToolButton::toggled, this, [this](bool muted) {
        updateMuteIcon();
        emit mutedChanged(muted);
    });
    updateMuteIcon();

    m_themeName = new QLabel(this);
    m_themeName->setObjectName(QStringLiteral("ThemeNameLabel"));
    m_themeName->setTextFormat(Qt::PlainText);
    int widestName = 0; // the slider stays put while the name beside it changes
    for (int i = 0; i < themes::kCount; ++i)
        widestName = std::max(widestName,
                              m_themeName->fontMetrics().horizontalAdvance(themes::name(i) + u' '));
    m_themeName->setMinimumWidth(widestName);
    m_theme = new QSlider(Qt::Horizontal, this);
    m_theme->setObjectName(QStringLiteral("ThemeSlider"));
    m_theme->setRange(0, themes::kCount - 1);
    m_theme->setPageStep(1);
    m_theme->setTickPosition(QSlider::NoTicks);
    m_theme->setFixedWidth(140);
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->setToolTip(tr("Theme"));
    connect(m_theme, &QSlider::valueChanged, this, [this](int value) {
        m_themeName->setText(themes::name(value));
        emit themeChanged(value);
    });
    m_themeName->setText(themes::name(0));

    row->addWidget(m_nameStack, 3);
    row->addWidget(m_nameEditButton);
    row->addSpacing(6);
    row->addWidget(m_dot);
    row->addWidget(m_status, 4);
    row->addWidget(m_reconnect);
    row->addWidget(m_mute);
    row->addWidget(m_themeName);
    row->addWidget(m_theme);
    setStatus(tr("Not connected"), false);
}

void HeaderBar::setUserName(const QString &name)
{
    m_name->setFullText(name);
    m_name->setAccessibleDescription(name);
}

QString HeaderBar::userName() const
{
    return m_name->fullText();
}

void HeaderBar::setStatus(const QString &text, bool connected)
{
    m_status->setFullText(text);
    // Colour is not the only signal: the text says the state too.
    m_dot->setStyleSheet(
        QStringLiteral("background: %1; border-radius: 5px; border: 1px solid white;")
            .arg(connected ? QStringLiteral("#2ecc71") : QStringLiteral("#e67e22")));
}

QString HeaderBar::statusText() const
{
    return m_status->fullText();
}

void HeaderBar::setMuted(bool muted)
{
    m_mute->setChecked(muted);
}

bool HeaderBar::isMuted() const
{
    return m_mute->isChecked();
}

void HeaderBar::setTheme(int index)
{
    m_theme->setValue(themes::clampIndex(index));
    m_themeName->setText(themes::name(m_theme->value()));
}

int HeaderBar::theme() const
{
    return m_theme->value();
}

void HeaderBar::beginNameEdit()
{
    m_nameEdit->setText(m_name->fullText());
    m_nameStack->setCurrentWidget(m_nameEdit);
    m_nameEdit->setFocus(Qt::MouseFocusReason);
    m_nameEdit->selectAll();
}

bool HeaderBar::isEditingName() const
{
    return m_nameStack->currentWidget() == m_nameEdit;
}

bool HeaderBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_nameEdit && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        cancelNameEdit();
        return true;
    }
    return QFrame::eventFilter(watched, event);
}

void HeaderBar::commitNameEdit()
{
    const QString name = m_nameEdit->text().simplified();
    m_nameStack->setCurrentWidget(m_name);
    if (!name.isEmpty() && name != m_name->fullText())
        emit userNameEdited(name);
}

void HeaderBar::cancelNameEdit()
{
    m_nameStack->setCurrentWidget(m_name);
}

void HeaderBar::setSoundAvailable(bool available)
{
    m_soundAvailable = available;
    m_mute->setEnabled(available);
    updateMuteIcon();
}

void HeaderBar::setReconnectAvailable(bool available)
{
    m_reconnect->setVisible(available);
}

void HeaderBar::updateMuteIcon()
{
    if (!m_soundAvailable) {
        // The truth, as the log says it: no sound can be played, muted or not.
        m_mute->setIcon(
            themes::icon(QStringLiteral(":/icons/sound-off.png"), themes::IconPlace::Header));
        m_mute->setToolTip(tr("Sounds are unavailable: no audio output device was found"));
        m_mute->setAccessibleName(tr("Sounds unavailable"));
        return;
    }
    const bool muted = m_mute->isChecked();
    m_mute->setIcon(themes::icon(muted ? QStringLiteral(":/icons/sound-off.png")
                                       : QStringLiteral(":/icons/sound-on.png"),
                                 themes::IconPlace::Header));
    m_mute->setToolTip(muted ? tr("Sounds are off (click to turn on)")
                             : tr("Sounds are on (click to mute)"));
    m_mute->setAccessibleName(muted ? tr("Unmute sounds") : tr("Mute sounds"));
}

} // namespace chalk::ui
