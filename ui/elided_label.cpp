#include "elided_label.h"

#include <QEvent>
#include <QMouseEvent>

namespace chalk::ui {

QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.left(1000).toHtmlEscaped() +
           QStringLiteral("</p>");
}

ElidedLabel::ElidedLabel(QWidget *parent)
    : ElidedLabel(QString(), parent)
{}

ElidedLabel::ElidedLabel(const QString &text, QWidget *parent)
    : QLabel(parent)
{
    // Never AutoText: a name like "<b>x</b>" must show its characters.
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setFullText(text);
}

void ElidedLabel::setFullText(const QString &text)
{
    // One line: newlines in a peer's name would otherwise grow the header.
    QString oneLine = text;
    oneLine.replace(QLatin1Char('\n'), QLatin1Char(' '))
        .replace(QLatin1Char('\r'), QLatin1Char(' '));
    if (oneLine == m_full && !text.isNull())
        return;
    m_full = oneLine;
    updateShown();
    updateGeometry();
}

void ElidedLabel::setElideMode(Qt::TextElideMode mode)
{
    m_mode = mode;
    updateShown();
}

void ElidedLabel::setClickable(bool on)
{
    m_clickable = on;
    setCursor(on ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void ElidedLabel::setTailSeparator(const QString &separator)
{
    m_tailSeparator = separator;
    updateShown();
}

void ElidedLabel::setHint(const QString &hint)
{
    m_hint = hint;
    updateShown();
}

QSize ElidedLabel::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const QMargins m = contentsMargins();
    const int w =
        std::min(fm.horizontalAdvance(m_full), 360) + m.left() + m.right() + 2 * margin() + 8;
    return {w, QLabel::sizeHint().height()};
}

QSize ElidedLabel::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(QStringLiteral("W…")) + 8,
            QLabel::minimumSizeHint().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    updateShown();
}

void ElidedLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateShown();
}

void ElidedLabel::mouseReleaseEvent(QMouseEvent *event)
{
    QLabel::mouseReleaseEvent(event);
    if (m_clickable && event->button() == Qt::LeftButton &&
        rect().contains(event->position().toPoint()))
        emit clicked();
}

void ElidedLabel::updateShown()
{
    const QMargins m = contentsMargins();
    const int available = width() - m.left() - m.right() - 2 * margin() - 6;
    const QFontMetrics fm = fontMetrics();
    QString shown = fm.elidedText(m_full, m_mode, std::max(available, 0));
    const qsizetype cut = m_tailSeparator.isEmpty() ? -1 : m_full.lastIndexOf(m_tailSeparator);
    if (shown != m_full && cut > 0) {
        const QString tail = m_full.mid(cut);
        const int room = available - fm.horizontalAdvance(tail);
        if (room > fm.horizontalAdvance(QStringLiteral("W…")))
            shown = fm.elidedText(m_full.left(cut), Qt::ElideRight, room) + tail;
    }
    if (shown != text())
        QLabel::setText(shown);
    QStringList tip;
    if (shown != m_full)
        tip << m_full;
    if (!m_hint.isEmpty())
        tip << m_hint;
    const QString wanted = tip.isEmpty() ? QString() : plainToolTip(tip.join(u'\n'));
    if (toolTip() != wanted)
        setToolTip(wanted);
}

} // namespace chalk::ui
