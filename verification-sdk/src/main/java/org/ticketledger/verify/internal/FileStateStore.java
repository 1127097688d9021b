package org.ticketledger.verify.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ticketledger.verify.UnableToPersistException;
import org.ticketledger.verify.spi.StateStore;

/**
 * One file per blob in a directory; writes go to a temp file that is fsynced and renamed over the
 * old one, so a crash leaves either version intact. java.io only (Android before API 26 has no
 * java.nio.file). Not API. Thread-safe.
 */
public final class FileStateStore implements StateStore {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");

    private final File directory;

    public FileStateStore(File directory) {
        this.directory = directory;
        if (!directory.isDirectory() && !directory.mkdirs() && !directory.isDirectory()) {
            throw new UnableToPersistException("cannot create state directory " + directory, null);
        }
    }

    private File file(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("state names are [a-z0-9-]{1,40}: " + name);
        }
        return new File(directory, name + ".json");
    }

    @Override
    public synchronized Optional<byte[]> read(String name) {
        File f = file(name);
        if (!f.exists()) {
            return Optional.empty();
        }
        try (InputStream in = new FileInputStream(f)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(16, f.length()));
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
            return Optional.of(out.toByteArray());
        } catch (IOException e) {
            throw new UnableToPersistException("cannot read state " + name, e);
        }
    }

    @Override
    public synchronized void write(String name, byte[] content) {
        File target = file(name);
        File temp = new File(directory, name + ".json.tmp");
        try (FileOutputStream out = new FileOutputStream(temp)) {
            out.write(content);
            out.getFD().sync();
        } catch (IOException e) {
            temp.delete();
            throw new UnableToPersistException("cannot write state " + name, e);
        }
        // rename(2) replaces atomically on POSIX (Linux, Android); Windows needs the delete first.
        if (!temp.renameTo(target) && !(target.delete() && temp.renameTo(target))) {
            throw new UnableToPersistException("cannot replace state " + name, null);
        }
    }

    @Override
    public synchronized void delete(String name) {
        File f = file(name);
        if (f.exists() && !f.delete()) {
            throw new UnableToPersistException("cannot delete state " + name, null);
        }
    }

    @Override
    public String toString() {
        return "FileStateStore[" + directory + "]";
    }
}
