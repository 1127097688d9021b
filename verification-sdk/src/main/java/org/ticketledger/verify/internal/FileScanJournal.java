package org.ticketledger.verify.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import org.ticketledger.verify.UnableToPersistException;
import org.ticketledger.verify.spi.JournalEntry;
import org.ticketledger.verify.spi.ScanJournal;

/**
 * The default {@link ScanJournal}: one append-only file of frames
 * {@code magic "TLJ1" | u32 length | u32 CRC-32 of payload | payload (UTF-8 JSON)}. Payloads are
 * {@code {"t":"scan","synced":b,"record":{...}}} or {@code {"t":"synced","ids":[...]}}.
 *
 * <p>Every append is forced to disk before it returns. On open, frames are checked: a torn last
 * frame (crash during append) is cut off; a damaged frame in the middle is skipped by searching
 * for the next magic whose frame checks out, counted and logged, and the file is rewritten clean.
 * {@link #retain} rewrites the file via temp file + fsync + rename. Not API. Thread-safe.
 */
public final class FileScanJournal implements ScanJournal {

    private static final Logger LOG = Logger.getLogger(FileScanJournal.class.getName());
    private static final int MAGIC = 0x544C4A31; // "TLJ1"
    private static final int HEADER = 12;
    static final int MAX_PAYLOAD = 1 << 20;

    private final File file;
    private final Map<String, JournalEntry> entries = new LinkedHashMap<>();
    private RandomAccessFile raf;
    private FileChannel channel;
    private long damagedFrames;
    private boolean closed;

    public FileScanJournal(File file) {
        this.file = file;
        File dir = file.getAbsoluteFile().getParentFile();
        if (dir != null && !dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
            throw new UnableToPersistException("cannot create journal directory " + dir, null);
        }
        try {
            byte[] content = file.exists() ? readAll(file) : new byte[0];
            boolean clean = recover(content);
            if (!clean) {
                rewrite(new ArrayList<>(entries.values()));
            }
            open();
        } catch (IOException e) {
            throw new UnableToPersistException("cannot open scan journal " + file, e);
        }
    }

    private void open() throws IOException {
        raf = new RandomAccessFile(file, "rw");
        channel = raf.getChannel();
        channel.position(channel.size());
    }

    /** Rebuilds the entry map from file content; false when anything had to be skipped or cut. */
    private boolean recover(byte[] b) {
        int pos = 0;
        boolean clean = true;
        while (pos < b.length) {
            int frameEnd = frameEndAt(b, pos);
            if (frameEnd > 0 && applyPayload(b, pos + HEADER, frameEnd)) {
                pos = frameEnd;
                continue;
            }
            clean = false;
            int next = nextFrame(b, pos + 1);
            if (next < 0) {
                // Nothing valid follows: a torn tail from a crash during append. That record was
                // never acknowledged to anyone, so cutting it loses nothing.
                LOG.warning("scan journal " + file.getName() + ": cut " + (b.length - pos) + " bytes of torn tail");
                break;
            }
            damagedFrames++;
            LOG.severe("scan journal " + file.getName() + ": skipped " + (next - pos)
                    + " damaged bytes at offset " + pos + "; a scan record may be lost");
            pos = next;
        }
        return clean;
    }

    /** End offset of a frame starting at pos whose header and CRC check out, or -1. */
    private static int frameEndAt(byte[] b, int pos) {
        if (pos + HEADER > b.length || readInt(b, pos) != MAGIC) {
            return -1;
        }
        long length = readInt(b, pos + 4) & 0xFFFFFFFFL;
        if (length < 1 || length > MAX_PAYLOAD || pos + HEADER + length > b.length) {
            return -1;
        }
        CRC32 crc = new CRC32();
        crc.update(b, pos + HEADER, (int) length);
        if ((int) crc.getValue() != readInt(b, pos + 8)) {
            return -1;
        }
        return pos + HEADER + (int) length;
    }

    private static int nextFrame(byte[] b, int from) {
        for (int p = from; p + HEADER <= b.length; p++) {
            if (frameEndAt(b, p) > 0) {
                return p;
            }
        }
        return -1;
    }

    private boolean applyPayload(byte[] b, int from, int to) {
        try {
            JsonObject o = JsonObject.of(Json.parse(new String(b, from, to - from, StandardCharsets.UTF_8)), "frame");
            String type = o.string("t");
            if ("scan".equals(type)) {
                JournalEntry entry = new JournalEntry(Wire.scanRecord(o.object("record")), o.bool("synced"));
                entries.put(entry.record().recordId(), entry);
                return true;
            }
            if ("synced".equals(type)) {
                for (Object id : o.array("ids")) {
                    JournalEntry e = entries.get(String.valueOf(id));
                    if (e != null) {
                        entries.put(e.record().recordId(), new JournalEntry(e.record(), true));
                    }
                }
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            // A frame with a good CRC but bad content was written by a buggy writer; skip it.
            LOG.log(Level.SEVERE, "scan journal " + file.getName() + ": unreadable frame skipped", e);
            return false;
        }
    }

    @Override
    public synchronized List<JournalEntry> load() {
        checkOpen();
        return new ArrayList<>(entries.values());
    }

    @Override
    public synchronized void append(JournalEntry entry) {
        checkOpen();
        writeFrame(JsonBuilder.object().put("t", "scan").put("synced", entry.synced())
                .put("record", Wire.scanRecordJson(entry.record())).toBytes());
        entries.put(entry.record().recordId(), entry);
    }

    @Override
    public synchronized void markSynced(Collection<String> recordIds) {
        checkOpen();
        List<Object> ids = new ArrayList<>();
        for (String id : recordIds) {
            JournalEntry e = entries.get(id);
            if (e != null && !e.synced()) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        writeFrame(JsonBuilder.object().put("t", "synced").put("ids", ids).toBytes());
        for (Object id : ids) {
            JournalEntry e = entries.get(id);
            entries.put((String) id, new JournalEntry(e.record(), true));
        }
    }

    @Override
    public synchronized void retain(Predicate<JournalEntry> keep) {
        checkOpen();
        List<JournalEntry> kept = new ArrayList<>();
        for (JournalEntry e : entries.values()) {
            if (keep.test(e)) {
                kept.add(e);
            }
        }
        if (kept.size() == entries.size()) {
            return;
        }
        try {
            raf.close();
            rewrite(kept);
            open();
        } catch (IOException e) {
            throw new UnableToPersistException("cannot compact scan journal " + file, e);
        }
        entries.clear();
        for (JournalEntry e : kept) {
            entries.put(e.record().recordId(), e);
        }
    }

    @Override
    public synchronized long damagedFramesSkipped() {
        return damagedFrames;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            raf.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing scan journal failed", e);
        }
    }

    private void writeFrame(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("journal frame too large: " + payload.length);
        }
        ByteBuffer frame = frame(payload);
        long start;
        try {
            start = channel.size();
        } catch (IOException e) {
            throw new UnableToPersistException("cannot append to scan journal", e);
        }
        try {
            channel.position(start);
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
            channel.force(true);
        } catch (IOException e) {
            try {
                channel.truncate(start); // keep the file free of half frames we know about
            } catch (IOException ignored) {
                // recovery on the next open handles it
            }
            throw new UnableToPersistException("cannot append to scan journal", e);
        }
    }

    private static ByteBuffer frame(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload, 0, payload.length);
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
        frame.putInt(MAGIC).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        frame.flip();
        return frame;
    }

    private void rewrite(List<JournalEntry> kept) throws IOException {
        File temp = new File(file.getPath() + ".tmp");
        try (FileOutputStream out = new FileOutputStream(temp)) {
            for (JournalEntry e : kept) {
                ByteBuffer f = frame(JsonBuilder.object().put("t", "scan").put("synced", e.synced())
                        .put("record", Wire.scanRecordJson(e.record())).toBytes());
                out.write(f.array(), 0, f.limit());
            }
            out.getFD().sync();
        }
        if (!temp.renameTo(file) && !(file.delete() && temp.renameTo(file))) {
            throw new IOException("cannot replace " + file);
        }
    }

    private static byte[] readAll(File f) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(f, "r")) {
            long size = in.length();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("scan journal too large: " + size);
            }
            byte[] b = new byte[(int) size];
            in.readFully(b);
            return b;
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal is closed");
        }
    }

    @Override
    public String toString() {
        return "FileScanJournal[" + file + "]";
    }
}
