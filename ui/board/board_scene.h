// The board as a QGraphicsScene on a fixed logical canvas (scene rect set once, never grown
// by items), stacked in drawing order.
//
// Painting 10 000 antialiased strokes costs seconds per frame (bench/board_bench), so
// settled strokes are painted, in drawing order, into a raster "layer" that drawBackground
// shows, by StrokeRaster (not QPainter: ~5x faster, bench/board_join_bench). Only what is
// still changing (strokes being drawn here or elsewhere, recent arrivals) is a StrokeItem
// painted on top. Lines that come with a drawing (drawing_got) get no item at all: they go
// straight into the layer, baked on worker threads; item() makes one on demand. The layer
// always holds a PREFIX of the drawing order, so eraser strokes (paper colour painted over)
// stay correct. Changing or removing a baked stroke re-bakes the layer off the GUI thread.
#pragma once

#include "board/board_model.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QGraphicsScene>
#include <QHash>
#include <QImage>
#include <QPointer>
#include <QTimer>
#include <atomic>
#include <memory>

namespace chalk::ui {

class StrokeItem;
class StrokeRaster;

class BoardScene : public QGraphicsScene {
    Q_OBJECT
public:
    // The index the board uses; chosen by measurement (docs/BOARD.md, bench/board_bench).
    static constexpr ItemIndexMethod kIndexMethod = NoIndex;

    explicit BoardScene(board::BoardModel *model, QObject *parent = nullptr,
                        ItemIndexMethod index = kIndexMethod);
    ~BoardScene() override;

    board::BoardModel *model() const { return m_model; }
    // The line's item, made on demand: lines that came with a drawing have none until asked.
    StrokeItem *item(const QString &uuid) const;
    int strokeCount() const; // lines on the board
    int materializedCount() const { return int(m_items.size()); }
    // Strokes painted as items (the rest are in the layer and out of the scene).
    int itemStrokeCount() const { return int(items().size()); }
    QRectF canvasRect() const { return sceneRect(); }

    // The canvas alone, as a picture: white paper and every stroke in drawing order, painted
    // afresh at `scale` pixels per unit (not from the layer).
    QImage renderImage(double scale = 2.0);

    // Layer state, for tests and the benchmark.
    int bakedCount() const { return m_baked; }
    // Every line is in the layer on show and none is painted as an item (the layer may
    // still be at a coarser scale than the view's: see isSharp()).
    bool showsEverything() const;
    // The layer on show is at the scale asked for and no re-bake is under way.
    bool isSharp() const;
    bool isRebaking() const { return m_rebaking; }
    double layerScale() const { return m_layerScale; }
    // A stroke joins the layer after it has not changed for this long (default 1000 ms).
    void setSettleDelay(int ms) { m_settleMs = ms; }
    // Layer pixels per logical unit: grows (re-bakes) when a view shows the board larger.
    void requestLayerScale(double pixelsPerUnit);
    // Bakes everything settled now, synchronously (benchmark, export of the layer).
    void bakeAllNow();

signals:
    // New pixels in the layer (a slice, or a whole re-bake): e.g. the board is complete
    // when bakedCount() == lineCount() and no item is left.
    void layerChanged();

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void addStroke(const QString &uuid);
    void updateStroke(const QString &uuid, int firstChangedPoint);
    void removeStroke(const QString &uuid, int formerIndex);
    void clearStrokes();
    void rebuild();

    StrokeItem *itemAt(int index) const;
    StrokeItem *materialize(const QString &uuid);
    void restack();
    void setShown(StrokeItem *item, bool shown);
    void setUpLayer(); // in the constructor: the layer, its timers and its re-bake watcher
    bool isSettled(int index, qint64 now) const;
    void setLayer(QImage layer);
    void bakeLoaded();
    QSize layerSize() const;
    double shownLayerScale() const;
    QImage blankLayer() const;
    void paintInto(QImage &layer, StrokeItem *item) const;
    void startRebake();
    void restartRebake();
    void finishRebake();
    void onRebakeDone();
    void scheduleBake(int delayMs = 0);
    void bakeSlice(qint64 budgetNs);

    QPointer<board::BoardModel> m_model;
    QHash<QString, StrokeItem *> m_items;
    qreal m_nextZ = 0;

    QElapsedTimer m_clock;
    QTimer m_bakeTimer;
    QTimer m_scaleTimer; // a larger layer scale, re-baked when the view stops growing
    QImage m_layer;
    std::unique_ptr<StrokeRaster> m_raster; // paints settled strokes into m_layer
    double m_layerScale = 2;
    int m_baked = 0; // model lines [0, m_baked) are in m_layer
    int m_settleMs = 1000;
    bool m_loading = false; // inside a drawing_got: its lines are settled already
    bool m_rebaking = false;
    bool m_quickFirst = false; // the re-bake under way is a whole drawing's quick first pass
    QImage m_next;             // the re-baked layer; m_layer stays on show until it is ready
    int m_nextCount = 0;       // model lines [0, m_nextCount) are being painted into it
    // Re-baking runs on worker threads (QtConcurrent), one band of the layer per core; a
    // newer re-bake makes the older one stop early and its result is dropped.
    QFutureWatcher<QImage> m_rebakeWatcher;
    std::shared_ptr<std::atomic<int>> m_rebakeGeneration;
    int m_rebakeTarget = 0; // m_next will hold lines [0, m_rebakeTarget)
};

} // namespace chalk::ui
