package org.haven.synth;

import org.haven.identifiers.ChiNumber;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fake but plausible personal details: names, CHI numbers, Scottish postcodes, UK drama-range telephone numbers,
 * addresses, hospital and accession numbers, dates written the many ways people write them. Every value comes from
 * the {@link Random} passed in, so output is reproducible for a seed.
 */
final class Fakes {
    private Fakes() {}

    static final List<String> MALE = List.of(
            "James", "John", "David", "Robert", "William", "Andrew", "Thomas", "Scott", "Craig", "Stuart",
            "Alasdair", "Alistair", "Ewan", "Euan", "Hamish", "Callum", "Calum", "Fraser", "Gregor", "Iain",
            "Ian", "Angus", "Duncan", "Murdo", "Ruaridh", "Lachlan", "Finlay", "Kenneth", "Malcolm", "Neil",
            "Graeme", "Graham", "Gordon", "Colin", "Douglas", "Archie", "Alexander", "Peter", "Michael", "Paul",
            "Mark", "Steven", "Stephen", "Gary", "Derek", "Brian", "George", "Hugh", "Jack", "Harris",
            "Lewis", "Logan", "Rory", "Ross", "Cameron", "Kyle", "Jamie", "Connor", "Liam", "Matthew",
            "Daniel", "Christopher", "Martin", "Allan", "Alan", "Keith", "Norman", "Donald", "Roderick", "Struan",
            "Mohammed", "Ahmed", "Tomasz", "Piotr", "Ravi", "Sanjay", "Chen", "Kwame", "Oliver", "Harry");

    static final List<String> FEMALE = List.of(
            "Mary", "Margaret", "Elizabeth", "Catherine", "Fiona", "Morag", "Isla", "Eilidh", "Ailsa", "Kirsty",
            "Kirsteen", "Shona", "Mhairi", "Iona", "Skye", "Rhona", "Catriona", "Ishbel", "Flora", "Jean",
            "Agnes", "Janet", "Helen", "Anne", "Ann", "Susan", "Karen", "Lorraine", "Fiona", "Elaine",
            "Gillian", "Jacqueline", "Lesley", "Heather", "Moira", "Sheena", "Aileen", "Alison", "Lynne", "Linda",
            "Sarah", "Emma", "Laura", "Claire", "Nicola", "Gemma", "Amy", "Rebecca", "Hannah", "Rachel",
            "Olivia", "Emily", "Sophie", "Ellie", "Freya", "Orla", "Aria", "Millie", "Grace", "Ruby",
            "Chloe", "Lucy", "Jessica", "Megan", "Lauren", "Erin", "Niamh", "Caitlin", "Zara", "Aisha",
            "Fatima", "Priya", "Agnieszka", "Katarzyna", "Mei", "Ama", "Bethany", "Kayleigh", "Stacey", "Jennifer");

    static final List<String> SURNAMES = List.of(
            "Smith", "Brown", "Wilson", "Campbell", "Stewart", "Thomson", "Robertson", "Anderson", "MacDonald", "Scott",
            "Reid", "Murray", "Taylor", "Clark", "Ross", "Watson", "Morrison", "Paterson", "Young", "Mitchell",
            "Walker", "Fraser", "Miller", "McDonald", "Gray", "Henderson", "Hamilton", "Johnston", "Duncan", "Graham",
            "Ferguson", "Kerr", "Davidson", "Bell", "Cameron", "Kelly", "Martin", "Hunter", "Allan", "MacKenzie",
            "McKenzie", "Grant", "Simpson", "MacLeod", "McLeod", "Black", "Russell", "Marshall", "Wallace", "Gibson",
            "Sutherland", "Gordon", "Wright", "Wood", "Burns", "Craig", "Stevenson", "McIntyre", "Muir", "Munro",
            "Kennedy", "Milne", "Jamieson", "Docherty", "Ritchie", "Watt", "McLean", "MacLean", "Hughes", "Crawford",
            "Sinclair", "Boyle", "Hay", "Christie", "Mackay", "McKay", "Shaw", "Dickson", "Baird", "Lindsay",
            "Currie", "Bruce", "Cunningham", "Donaldson", "Whyte", "White", "Dunn", "Forbes", "Lawson", "Rae",
            "MacGregor", "McGregor", "Findlay", "Ogilvie", "Buchanan", "Menzies", "Drummond", "Urquhart", "Kirkpatrick", "Galbraith",
            "O'Neill", "O'Donnell", "Gallacher", "Gallagher", "Quinn", "Doherty", "McLaughlin", "McGuire", "Reilly", "Devlin",
            "Chalmers", "Lamont", "Baxter", "Calder", "Moffat", "Strachan", "Cowan", "Nicol", "Nicolson", "Laing",
            "Rennie", "Kidd", "Gilchrist", "McAllister", "MacAulay", "Morrison-Hay", "Macpherson", "McPhee", "Colquhoun", "Lockhart",
            "Patel", "Khan", "Ahmed", "Singh", "Ali", "Kowalski", "Nowak", "Wang", "Li", "Mensah",
            "Jones", "Williams", "Evans", "Roberts", "Thompson", "Harris", "Lewis", "Clarke", "Cooper", "Turner");

    /** Staff titles for referring/performing clinicians and radiographers. */
    static final List<String> STAFF_TITLES = List.of("Dr", "DR", "Prof", "Mr", "Ms", "");

    /** Postcode areas per board (real Scottish area letters) with the district number range for each. */
    record PostcodeArea(String area, int minDistrict, int maxDistrict, List<String> towns) {}

    static final List<PostcodeArea> SCOTTISH_AREAS = List.of(
            new PostcodeArea("EH", 1, 55, List.of("Edinburgh", "Musselburgh", "Dalkeith", "Livingston", "Penicuik", "Linlithgow")),
            new PostcodeArea("G", 1, 84, List.of("Glasgow", "Clydebank", "Milngavie", "Kirkintilloch", "Rutherglen")),
            new PostcodeArea("PA", 1, 80, List.of("Paisley", "Renfrew", "Greenock", "Johnstone", "Oban")),
            new PostcodeArea("ML", 1, 12, List.of("Motherwell", "Hamilton", "Airdrie", "Wishaw", "Lanark")),
            new PostcodeArea("DD", 1, 11, List.of("Dundee", "Arbroath", "Forfar", "Montrose", "Carnoustie")),
            new PostcodeArea("PH", 1, 50, List.of("Perth", "Pitlochry", "Crieff", "Blairgowrie", "Aberfeldy")),
            new PostcodeArea("KY", 1, 16, List.of("Kirkcaldy", "Dunfermline", "Glenrothes", "St Andrews", "Cupar")),
            new PostcodeArea("FK", 1, 21, List.of("Falkirk", "Stirling", "Grangemouth", "Alloa", "Callander")),
            new PostcodeArea("AB", 10, 56, List.of("Aberdeen", "Inverurie", "Peterhead", "Stonehaven", "Elgin")),
            new PostcodeArea("IV", 1, 63, List.of("Inverness", "Nairn", "Dingwall", "Portree", "Ullapool")),
            new PostcodeArea("KA", 1, 30, List.of("Kilmarnock", "Ayr", "Irvine", "Troon", "Largs")),
            new PostcodeArea("DG", 1, 16, List.of("Dumfries", "Stranraer", "Annan", "Castle Douglas")),
            new PostcodeArea("TD", 1, 15, List.of("Galashiels", "Hawick", "Kelso", "Peebles", "Jedburgh")),
            new PostcodeArea("KW", 1, 17, List.of("Wick", "Thurso", "Kirkwall", "Golspie")),
            new PostcodeArea("ZE", 1, 3, List.of("Lerwick", "Scalloway")),
            new PostcodeArea("HS", 1, 9, List.of("Stornoway", "Tarbert", "Balivanich")));

    /** Inward-code letters: C, I, K, M, O and V are never used in the last two letters of a UK postcode. */
    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

    static final List<String> STREETS = List.of(
            "Burnside", "Kirk", "Mill", "Station", "Glebe", "Rowan", "Birch", "Hawthorn", "Castle", "Bridge",
            "Victoria", "Albert", "Craigmount", "Braeside", "Loch", "Muirhouse", "Whinhill", "Hillview", "Marchfield", "Ashgrove");
    static final List<String> STREET_TYPES = List.of(
            "Road", "Street", "Crescent", "Gardens", "Place", "Drive", "Terrace", "Wynd", "Brae", "Loan", "Avenue", "Court");

    static <T> T pick(Random r, List<T> list) { return list.get(r.nextInt(list.size())); }

    static boolean chance(Random r, double p) { return r.nextDouble() < p; }

    static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append((char) ('0' + r.nextInt(10)));
        return b.toString();
    }

    /**
     * A CHI number for this birth date and sex: DDMMYY, two serial digits, a sex digit (odd male, even female) and a
     * modulus-11 check digit; with {@code luhn} a Luhn check digit that modulus 11 would not give.
     */
    static String chi(Random r, LocalDate birth, char sex, boolean luhn) {
        String ddmmyy = birth.format(DateTimeFormatter.ofPattern("ddMMyy"));
        while (true) {
            int sexDigit = r.nextInt(5) * 2 + (sex == 'M' ? 1 : 0);
            String nine = ddmmyy + digits(r, 2) + sexDigit;
            int mod11 = ChiNumber.mod11CheckDigit(nine);
            if (!luhn) {
                if (mod11 < 0) continue; // no valid modulus-11 digit: CHI never issues these
                return nine + mod11;
            }
            int l = ChiNumber.luhnCheckDigit(nine);
            if (l == mod11) continue; // want a number only the Luhn rule accepts
            return nine + l;
        }
    }

    static String postcode(Random r, PostcodeArea area) {
        int district = area.minDistrict() + r.nextInt(area.maxDistrict() - area.minDistrict() + 1);
        return area.area() + district + " " + r.nextInt(10)
                + INWARD_LETTERS.charAt(r.nextInt(INWARD_LETTERS.length()))
                + INWARD_LETTERS.charAt(r.nextInt(INWARD_LETTERS.length()));
    }

    static PostcodeArea area(String letters) {
        for (PostcodeArea a : SCOTTISH_AREAS) if (a.area().equals(letters)) return a;
        throw new IllegalArgumentException(letters);
    }

    /**
     * Ofcom's drama ranges: 0131 496 0xxx (Edinburgh), 0141 496 0xxx (Glasgow), 01632 960xxx, 07700 900xxx.
     * {@code dialCode} is "0131" or "0141"; anything else uses 01632 960xxx for landlines.
     */
    static String phone(Random r, String dialCode) {
        String three = digits(r, 3);
        if (!dialCode.equals("0131") && !dialCode.equals("0141")) dialCode = "01632";
        if (dialCode.equals("01632") && r.nextInt(6) < 2) return "01632 960" + three;
        return switch (r.nextInt(6)) {
            case 0, 1 -> dialCode.equals("01632") ? "01632 960" + three : dialCode + " 496 0" + three;
            case 2 -> "07700 900" + three;
            case 3 -> "+44 7700 900" + three;
            case 4 -> dialCode.equals("01632") ? "+44 1632 960" + three : "+44 " + dialCode.substring(1) + " 496 0" + three;
            default -> "01632 960" + three;
        };
    }

    static String street(Random r) {
        return (1 + r.nextInt(140)) + " " + pick(r, STREETS) + " " + pick(r, STREET_TYPES);
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** Dates the way people type them into free text. */
    static String freeTextDate(Random r, LocalDate d) {
        return switch (r.nextInt(7)) {
            case 0 -> d.format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
            case 1 -> d.format(DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.UK)).replace("Sept", "Sep");
            case 2 -> d.format(DateTimeFormatter.ISO_LOCAL_DATE);
            case 3 -> d.getDayOfMonth() + ordinal(d.getDayOfMonth()) + " "
                    + d.format(DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK));
            case 4 -> d.format(DateTimeFormatter.ofPattern("dd.MM.yy"));
            case 5 -> d.format(DateTimeFormatter.ofPattern("d/M/yy"));
            default -> d.format(DateTimeFormatter.BASIC_ISO_DATE);
        };
    }

    static String ordinal(int day) {
        if (day >= 11 && day <= 13) return "th";
        return switch (day % 10) { case 1 -> "st"; case 2 -> "nd"; case 3 -> "rd"; default -> "th"; };
    }
}
