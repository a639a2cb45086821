// The board as a QGraphicsScene: one StrokeItem per line of the BoardModel, stacked in
// drawing order, on a fixed logical canvas (scene rect set once, never grown by items).
#pragma once

#include "board/board_model.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>

namespace chalk::ui {

class StrokeItem;

class BoardScene : public QGraphicsScene {
    Q_OBJECT
public:
    // The index the board uses; chosen by measurement (docs/BOARD.md, bench/board_bench).
    static constexpr ItemIndexMethod kIndexMethod = NoIndex;

    explicit BoardScene(board::BoardModel *model, QObject *parent = nullptr,
                        ItemIndexMethod index = kIndexMethod);

    board::BoardModel *model() const { return m_model; }
    StrokeItem *item(const QString &uuid) const { return m_items.value(uuid); }
    int strokeCount() const { return int(m_items.size()); }
    QRectF canvasRect() const { return sceneRect(); }

    // The canvas alone, as a picture: white paper and every stroke, `scale` pixels per unit.
    QImage renderImage(double scale = 2.0);

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void addStroke(const QString &uuid);
    void updateStroke(const QString &uuid, int firstChangedPoint);
    void removeStroke(const QString &uuid);
    void clearStrokes();
    void rebuild();

    QPointer<board::BoardModel> m_model;
    QHash<QString, StrokeItem *> m_items;
    qreal m_nextZ = 0;
};

} // namespace chalk::ui
