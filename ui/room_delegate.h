// Paints one room: colour swatch, elided name, member and message counts, unread badge.
#pragma once

#include <QStyledItemDelegate>

namespace chalk::ui {

class RoomListView;

class RoomDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit RoomDelegate(RoomListView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // The text shown for the counts line, e.g. "3 people · 120 messages".
    static QString countsText(const QModelIndex &index);

private:
    RoomListView *m_view;
};

} // namespace chalk::ui
