package org.haven.resolve;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.haven.identifiers.ChiNumber;

/**
 * Finds the person's CHI number for a file, in this order: PatientID when it is a valid CHI (modulus 11 or Luhn)
 * and its issuer may issue CHI numbers; the items of OtherPatientIDsSequence; the values of OtherPatientIDs; the
 * patient index in the store for (issuer, local id) of PatientID and of each sequence item; the external index.
 * Identifiers that name two different CHI numbers are a conflict (the file is held). Nothing here is logged.
 */
public final class Resolver {
    private final IdentityRules rules;
    private final PatientIndex index;
    private final ExternalIndex external; // may be null

    public Resolver(IdentityRules rules, PatientIndex index, ExternalIndex external) {
        this.rules = rules;
        this.index = index;
        this.external = external;
    }

    public IdentityRules rules() { return rules; }

    /** An identifier with its issuer, as found in the header. */
    public record Id(String issuer, String value) {}

    /** The identifiers of a file's patient module. */
    public record PatientIds(Id primary, List<Id> sequence, List<String> otherIds) {

        public static PatientIds of(AttributeList list) {
            Id primary = new Id(text(list, TagFromName.IssuerOfPatientID), text(list, TagFromName.PatientID));
            List<Id> items = new ArrayList<>();
            Attribute a = list.get(TagFromName.OtherPatientIDsSequence);
            if (a instanceof SequenceAttribute seq) {
                for (int i = 0; i < seq.getNumberOfItems(); i++) {
                    AttributeList item = seq.getItem(i).getAttributeList();
                    String v = text(item, TagFromName.PatientID);
                    if (!v.isEmpty()) items.add(new Id(text(item, TagFromName.IssuerOfPatientID), v));
                }
            }
            List<String> others = new ArrayList<>();
            for (String v : Attribute.getDelimitedStringValuesOrEmptyString(list, TagFromName.OtherPatientIDs).split("\\\\")) {
                if (!v.isBlank()) others.add(v.trim());
            }
            return new PatientIds(primary, items, others);
        }

        private static String text(AttributeList l, com.pixelmed.dicom.AttributeTag tag) {
            return Attribute.getSingleStringValueOrEmptyString(l, tag).trim();
        }
    }

    /**
     * The outcome: {@code chi} empty when unresolved; {@code issuer}/{@code localId} the file's own (normalised)
     * identifier, under which an unresolved person is pseudonymised and the index is searched.
     */
    public record Resolution(Optional<String> chi, String method, String issuer, String localId) {
        public boolean resolved() { return chi.isPresent(); }
    }

    /** Identifiers that name different people: the file must be held. */
    public static final class ConflictException extends Exception {
        public ConflictException(String message) { super(message); }
    }

    public Resolution resolve(String board, PatientIds ids) throws SQLException, ConflictException {
        String issuer = rules.issuerFor(board, ids.primary().issuer());
        String localId = IdentityRules.normaliseLocalId(ids.primary().value());
        Set<String> found = new LinkedHashSet<>();
        String method = null;

        if (rules.mayBeChi(board, ids.primary().issuer()) && ChiNumber.isValid(localId)) {
            found.add(localId);
            method = "patient-id";
        }
        for (Id item : ids.sequence()) {
            String v = IdentityRules.normaliseLocalId(item.value());
            if (rules.mayBeChi(board, item.issuer()) && ChiNumber.isValid(v) && found.add(v) && method == null) method = "other-ids-sequence";
        }
        for (String other : ids.otherIds()) {
            String v = IdentityRules.normaliseLocalId(other);
            if (ChiNumber.isValid(v) && found.add(v) && method == null) method = "other-ids";
        }
        // the index knows hospital numbers: PatientID's (unless it is the CHI) and those in the sequence
        List<Id> locals = new ArrayList<>();
        if (!"patient-id".equals(method)) locals.add(new Id(issuer, localId));
        for (Id item : ids.sequence()) {
            String v = IdentityRules.normaliseLocalId(item.value());
            if (!found.contains(v)) locals.add(new Id(rules.issuerFor(board, item.issuer()), v));
        }
        for (Id l : locals) {
            Optional<String> chi = index.chiFor(l.issuer(), l.value());
            if (chi.isPresent() && found.add(chi.get()) && method == null) method = "index";
        }
        if (found.isEmpty() && external != null) {
            for (Id l : locals) {
                Optional<String> chi = external.chiFor(l.issuer(), l.value());
                if (chi.isPresent() && found.add(chi.get()) && method == null) method = "external";
            }
        }
        if (found.size() > 1) {
            throw new ConflictException("the patient's identifiers (PatientID, other IDs, patient index) name "
                + found.size() + " different CHI numbers");
        }
        if (found.isEmpty()) return new Resolution(Optional.empty(), "unresolved", issuer, localId);
        String chi = found.iterator().next();
        if ("patient-id".equals(method)) return new Resolution(Optional.of(chi), method, issuer.isEmpty() ? "CHI" : issuer, localId);
        return new Resolution(Optional.of(chi), method, issuer, localId);
    }
}
