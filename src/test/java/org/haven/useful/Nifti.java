package org.haven.useful;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The parts of a NIfTI-1 file (uncompressed .nii) a researcher's analysis depends on: dimensions, voxel sizes,
 * data type and scaling, orientation (qform and sform) and the voxel data (as a SHA-256 of the bytes after
 * vox_offset). Names, descriptions and times in the header are left out: they come from metadata that
 * de-identification changes on purpose.
 */
record Nifti(String geometry, String dataSha256, long dataBytes) {
    static Nifti read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 352) throw new IOException(file.getFileName() + ": shorter than a NIfTI-1 header");
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 348) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 348) throw new IOException(file.getFileName() + ": sizeof_hdr is not 348");
        }
        String magic = new String(all, 344, 4, java.nio.charset.StandardCharsets.US_ASCII);
        if (!magic.startsWith("n+1")) throw new IOException(file.getFileName() + ": not a single-file NIfTI-1 (magic " + magic.trim() + ")");
        short[] dim = new short[8];
        for (int i = 0; i < 8; i++) dim[i] = b.getShort(40 + 2 * i);
        float[] pixdim = new float[8];
        for (int i = 0; i < 8; i++) pixdim[i] = b.getFloat(76 + 4 * i);
        StringBuilder g = new StringBuilder();
        g.append("dim=").append(Arrays.toString(Arrays.copyOfRange(dim, 0, dim[0] + 1)));
        // pixdim[0] is qfac; pixdim beyond dim[0] is unused; pixdim[4] (TR) comes from timing, kept as a fact too
        g.append(" pixdim=").append(floats(pixdim, 0, dim[0] + 1));
        g.append(" datatype=").append(b.getShort(70)).append(" bitpix=").append(b.getShort(72));
        g.append(" intent=").append(b.getShort(68));
        g.append(" scl=").append(floats(new float[] {b.getFloat(112), b.getFloat(116)}, 0, 2));
        g.append(" units=").append(all[123]);
        g.append(" qform=").append(b.getShort(252)).append(floats(floatsAt(b, 256, 6), 0, 6));
        g.append(" sform=").append(b.getShort(254)).append(floats(floatsAt(b, 280, 12), 0, 12));
        int offset = (int) b.getFloat(108);
        if (offset < 352 || offset > all.length) throw new IOException(file.getFileName() + ": vox_offset " + offset);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(all, offset, all.length - offset);
            return new Nifti(g.toString(), HexFormat.of().formatHex(md.digest()), all.length - offset);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] floatsAt(ByteBuffer b, int at, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = b.getFloat(at + 4 * i);
        return f;
    }

    private static String floats(float[] f, int from, int to) {
        StringBuilder s = new StringBuilder("[");
        for (int i = from; i < to; i++) s.append(i > from ? "," : "").append(String.format(Locale.ROOT, "%.6g", f[i]));
        return s.append(']').toString();
    }

    @Override
    public String toString() {
        return geometry + " data=" + dataBytes + "B sha256=" + dataSha256.substring(0, 16);
    }
}
