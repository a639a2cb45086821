#include "message_delegate.h"

#include "client/message_list_model.h"
#include "client/outbox.h"
#include "message_view.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

namespace chalk::ui {

using client::MessageListModel;

namespace {
constexpr int kMarginX = 10; // between the bubble and the view's edge
constexpr int kMarginY = 4;  // between two bubbles
constexpr int kPadX = 12;    // inside the bubble
constexpr int kPadY = 7;
constexpr int kGap = 3; // between name, body and footer
constexpr int kTickWidth = 18;
constexpr int kMaxChars = 8000; // the server limits bodies; this bounds layout cost anyway

QFont smallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(std::max(7.0, base.pointSizeF() * 0.85));
    return f;
}

QFont nameFont(const QFont &base)
{
    QFont f = smallFont(base);
    f.setBold(true);
    return f;
}

// Lays out `layout` at `width`; returns the natural size.
QSize layoutBody(QTextLayout &layout, int width)
{
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.setCacheEnabled(true);
    layout.beginLayout();
    qreal height = 0;
    qreal natural = 0;
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
        natural = std::max(natural, line.naturalTextWidth());
    }
    layout.endLayout();
    return {int(std::ceil(natural)), int(std::ceil(height))};
}

QString cacheKey(const QModelIndex &index)
{
    const QString uuid = index.data(MessageListModel::UuidRole).toString();
    return uuid.isEmpty() ? QLatin1Char('c') + index.data(MessageListModel::ClientIdRole).toString()
                          : uuid;
}

void drawTicks(QPainter *p, const QRectF &r, int state, const QColor &color)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(color, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p->setBrush(Qt::NoBrush);
    const qreal cy = r.center().y();
    const qreal x = r.left();
    if (state == int(client::DeliveryState::Pending)) {
        const QPointF c(x + 7, cy);
        p->drawEllipse(c, 4.5, 4.5);
        p->drawLine(c, c + QPointF(0, -3));
        p->drawLine(c, c + QPointF(2.2, 1.2));
    } else {
        QPainterPath tick;
        tick.moveTo(x + 1, cy);
        tick.lineTo(x + 4, cy + 3);
        tick.lineTo(x + 10, cy - 4);
        p->drawPath(tick);
        if (state == int(client::DeliveryState::Stored))
            p->drawPath(tick.translated(5, 0));
    }
    p->restore();
}
} // namespace

MessageDelegate::MessageDelegate(MessageView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{}

QString MessageDelegate::displayText(const QModelIndex &index)
{
    QString body = index.data(MessageListModel::BodyRole).toString().left(kMaxChars);
    // QTextLayout does not break at '\n'; the Unicode line separator does.
    body.replace(QLatin1String("\r\n"), QString(QChar::LineSeparator));
    body.replace(QLatin1Char('\n'), QChar::LineSeparator);
    body.replace(QLatin1Char('\r'), QChar::LineSeparator);
    return body;
}

QString MessageDelegate::timeText(const QModelIndex &index)
{
    const QDateTime created = index.data(MessageListModel::CreatedRole).toDateTime().toLocalTime();
    if (!created.isValid())
        return {};
    const QLocale locale;
    const QString time = locale.toString(created.time(), QLocale::ShortFormat);
    if (created.date() == QDate::currentDate())
        return time;
    return locale.toString(created.date(), QStringLiteral("d MMM")) + QLatin1Char(' ') + time;
}

int MessageDelegate::maxBubbleWidth() const
{
    const int w = m_view->viewport()->width() - 2 * kMarginX;
    return std::max(120, std::min(w, std::max(220, int(w * 0.75))));
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem &option,
                                                    const QModelIndex &index) const
{
    ++m_layouts;
    Geometry g;
    const bool own = index.data(MessageListModel::OwnRole).toBool();
    const int inner = maxBubbleWidth() - 2 * kPadX;
    QTextLayout layout(displayText(index), option.font);
    const QSize body = layoutBody(layout, inner);
    g.bodyHeight = body.height();
    g.bodyWidth = body.width();
    int width = body.width();
    if (!own) {
        const QFontMetrics fm(nameFont(option.font));
        g.nameHeight = fm.height();
        width = std::max(
            width, std::min(inner, fm.horizontalAdvance(
                                       index.data(MessageListModel::SenderNameRole).toString())));
    }
    const QFontMetrics small(smallFont(option.font));
    const int footer = small.horizontalAdvance(timeText(index)) + (own ? kTickWidth + 4 : 0);
    width = std::max(width, footer);
    const int height = kPadY + (g.nameHeight ? g.nameHeight + kGap : 0) + g.bodyHeight + kGap +
                       small.height() + kPadY;
    g.bubble = QSize(std::min(inner, width) + 2 * kPadX, height);
    return g;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int width = m_view->viewport()->width();
    const QString key = cacheKey(index);
    auto it = m_sizes.constFind(key);
    if (it != m_sizes.constEnd() && it->width == width)
        return it->size;

    const QSize size(width, geometry(option, index).bubble.height() + 2 * kMarginY);
    m_sizes.insert(key, {width, size});
    return size;
}

void MessageDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    const bool own = index.data(MessageListModel::OwnRole).toBool();
    const Geometry g = geometry(option, index);
    const QRect row = option.rect;
    const int x = own ? row.right() - kMarginX - g.bubble.width() : row.left() + kMarginX;
    const QRect bubble(QPoint(x, row.top() + kMarginY), g.bubble);
    const QColor fill = own ? m_view->ownBubbleColor() : m_view->otherBubbleColor();
    const QColor text = own ? m_view->ownTextColor() : m_view->otherTextColor();
    const QColor meta = own ? m_view->ownTextColor() : m_view->metaColor();

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(bubble, 10, 10);

    int y = bubble.top() + kPadY;
    const int inner = bubble.width() - 2 * kPadX;
    if (!own) {
        const QFont f = nameFont(option.font);
        const QFontMetrics fm(f);
        p->setFont(f);
        p->setPen(m_view->accentColor());
        const QString name = index.data(MessageListModel::SenderNameRole).toString().simplified();
        p->drawText(QRect(bubble.left() + kPadX, y, inner, fm.height()),
                    Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(name, Qt::ElideRight, inner));
        y += g.nameHeight + kGap;
    }

    QTextLayout layout(displayText(index), option.font);
    layoutBody(layout, maxBubbleWidth() - 2 * kPadX);
    p->setPen(text);
    layout.draw(p, QPointF(bubble.left() + kPadX, y));
    y += g.bodyHeight + kGap;

    const QFont small = smallFont(option.font);
    const QFontMetrics fms(small);
    p->setFont(small);
    p->setPen(meta);
    int right = bubble.right() - kPadX;
    if (own) {
        const int state = index.data(MessageListModel::StateRole).toInt();
        drawTicks(p, QRectF(right - kTickWidth, y, kTickWidth, fms.height()), state, meta);
        right -= kTickWidth + 4;
    }
    p->drawText(QRect(bubble.left() + kPadX, y, right - bubble.left() - kPadX, fms.height()),
                Qt::AlignRight | Qt::AlignVCenter, timeText(index));
    p->restore();
}

} // namespace chalk::ui
