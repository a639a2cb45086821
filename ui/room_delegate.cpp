#include "room_delegate.h"

#include "client/room_list_model.h"
#include "elided_label.h"
#include "presence_text.h"
#include "room_list_view.h"
#include "room_section_proxy.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace chalk::ui {

using client::RoomListModel;

RoomDelegate::RoomDelegate(RoomListView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{}

QString RoomDelegate::countsText(const QModelIndex &index)
{
    // A direct conversation says whether the other person is around, not "2 in room".
    const QVariant partnerOnline = index.data(RoomSectionProxy::PartnerOnlineRole);
    if (partnerOnline.isValid())
        return presence_text::describe(
            partnerOnline.toBool(), index.data(RoomSectionProxy::PartnerLastSeenRole).toDateTime(),
            QDateTime::currentDateTime());
    const int members = index.data(RoomListModel::MemberCountRole).toInt();
    const qint64 sum = index.data(RoomListModel::SumRole).toLongLong();
    return tr("%n in room", nullptr, members) + QStringLiteral(" · ") +
           tr("%n message(s)", nullptr, int(std::min<qint64>(sum, INT_MAX)));
}

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {200, fm.height() * 2 + 16};
}

void RoomDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect r = option.rect.adjusted(4, 2, -4, -2);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hover = option.state & QStyle::State_MouseOver;
    const bool current = index.data(RoomListModel::CurrentRole).toBool();
    const QPalette &pal = option.palette;

    if (selected || hover) {
        QColor bg = pal.color(QPalette::Highlight);
        if (!selected)
            bg.setAlpha(40);
        p->setPen(Qt::NoPen);
        p->setBrush(bg);
        p->drawRoundedRect(r, 6, 6);
    }
    const QColor text = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
    const QColor meta = selected ? pal.color(QPalette::HighlightedText) : m_view->metaColor();

    // Swatch: the room's colour, with an outline so a pale colour shows on a pale theme.
    QColor swatch = index.data(Qt::DecorationRole).value<QColor>();
    if (!swatch.isValid())
        swatch = QColor(index.data(RoomListModel::ColorRole).toString());
    if (!swatch.isValid())
        swatch = Qt::gray;
    const int sw = r.height() - 14;
    const QRect swatchRect(r.left() + 8, r.center().y() - sw / 2, sw, sw);
    p->setBrush(swatch);
    p->setPen(QPen(text, current ? 2.5 : 1.0));
    p->drawEllipse(swatchRect);

    // A direct conversation: the other person's presence as a dot on the swatch.
    const QVariant partnerOnline = index.data(RoomSectionProxy::PartnerOnlineRole);
    if (partnerOnline.isValid()) {
        const int ds = std::max(8, sw / 2);
        const QRect dotRect(swatchRect.right() - ds + 3, swatchRect.bottom() - ds + 3, ds, ds);
        presence_text::dot(partnerOnline.toBool(), ds, pal.color(QPalette::Base)).paint(p, dotRect);
    }

    // Unread badge on the right.
    int right = r.right() - 8;
    const qint64 unread = index.data(RoomListModel::UnreadRole).toLongLong();
    QFont bold = option.font;
    bold.setBold(true);
    if (unread > 0) {
        const QString badge = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
        QFont small = bold;
        small.setPointSizeF(std::max(7.0, bold.pointSizeF() * 0.85));
        const QFontMetrics fm(small);
        const int bh = fm.height() + 4;
        const int bw = std::max(bh, fm.horizontalAdvance(badge) + 12);
        const QRect br(right - bw, r.center().y() - bh / 2, bw, bh);
        p->setPen(Qt::NoPen);
        p->setBrush(m_view->badgeColor());
        p->drawRoundedRect(br, bh / 2.0, bh / 2.0);
        p->setFont(small);
        p->setPen(m_view->badgeTextColor());
        p->drawText(br, Qt::AlignCenter, badge);
        right = br.left() - 8;
    }

    // Name (bold when it is the room the user is in) and the counts line, both elided.
    const int left = swatchRect.right() + 10;
    const int width = std::max(0, right - left);
    const QFontMetrics fmName(current ? bold : option.font);
    const QString name = index.data(RoomListModel::NameRole).toString().simplified();
    p->setFont(current ? bold : option.font);
    p->setPen(text);
    const int lineH = fmName.height();
    const QRect nameRect(left, r.top() + 5, width, lineH);
    p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                fmName.elidedText(name, Qt::ElideRight, width));
    QFont metaFont = option.font;
    metaFont.setPointSizeF(std::max(7.0, option.font.pointSizeF() * 0.9));
    p->setFont(metaFont);
    p->setPen(meta);
    const QFontMetrics fmMeta(metaFont);
    const QRect metaRect(left, nameRect.bottom() + 2, width, fmMeta.height());
    p->drawText(metaRect, Qt::AlignLeft | Qt::AlignVCenter,
                fmMeta.elidedText(countsText(index), Qt::ElideRight, width));
    p->restore();
}

bool RoomDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                             const QStyleOptionViewItem &, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return false;
    // Never the model's ToolTipRole as it is: a room name is peer text (see plainToolTip).
    const QString text =
        index.data(RoomListModel::NameRole).toString() + QLatin1Char('\n') + countsText(index);
    QToolTip::showText(event->globalPos(), plainToolTip(text), view);
    return true;
}

} // namespace chalk::ui
